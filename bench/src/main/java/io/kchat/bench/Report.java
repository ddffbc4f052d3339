package io.kchat.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark's result: the machine and settings first, then the figures, so that a number is never
 * read without what produced it. Printed to stdout (it is the program's output) and optionally saved.
 */
final class Report {

    private final Path file;
    private final List<String> lines = new ArrayList<>();

    Report(Path file) {
        this.file = file;
        line("date: " + Instant.now());
        line("machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpuModel() + "), "
                + totalMemoryGiB() + " GiB RAM, kernel " + System.getProperty("os.name") + " "
                + System.getProperty("os.version"));
        line("client JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        StackSettings.lines(System.getenv()).forEach(this::line);
    }

    void line(String text) {
        lines.add(text);
        stdout().println(text);
    }

    void finish() throws IOException {
        if (file != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, lines, StandardCharsets.UTF_8);
        }
    }

    @SuppressWarnings("java:S106") // the report is this program's output
    private static PrintStream stdout() {
        return System.out;
    }

    private static long totalMemoryGiB() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean bean) {
            return Math.round(bean.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        return -1;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown cpu");
        } catch (IOException e) {
            return "unknown cpu";
        }
    }
}
