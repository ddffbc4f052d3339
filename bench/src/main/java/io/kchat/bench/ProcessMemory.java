package io.kchat.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Memory of another JVM on this machine (the gateway under test): its heap after a full collection, through
 * {@code jcmd} of the bench's own JDK, and its resident set from {@code /proc/<pid>/status}.
 */
final class ProcessMemory {

    /** One reading: heap used after a full GC, the heap's reserved size (-Xmx; -1 if not printed), RSS. */
    record Sample(long heapUsedBytes, long heapReservedBytes, long rssBytes) {
    }

    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(60);
    private final long pid;
    private final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");

    ProcessMemory(long pid) {
        this.pid = pid;
    }

    Sample afterFullGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        HeapInfo heap = HeapInfo.parse(jcmd("GC.heap_info"));
        return new Sample(heap.usedBytes(), heap.reservedBytes(), rss());
    }

    /** Heap used now, garbage included (no collection forced): an upper bound of what is live. */
    long heapUsedNow() throws IOException, InterruptedException {
        return HeapInfo.parse(jcmd("GC.heap_info")).usedBytes();
    }

    /** The heading and the {@code top} classes by bytes of {@code GC.class_histogram} (itself after a full GC). */
    List<String> largestClasses(int top) throws IOException, InterruptedException {
        List<String> lines = jcmd("GC.class_histogram").lines().filter(l -> !l.isBlank()).toList();
        // line 0 is "<pid>:", then the heading and a dashed rule
        return lines.subList(Math.min(1, lines.size()), Math.min(lines.size(), top + 3));
    }

    private long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
                .redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(JCMD_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("jcmd " + pid + " " + command + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
        return new String(output, StandardCharsets.UTF_8);
    }
}
