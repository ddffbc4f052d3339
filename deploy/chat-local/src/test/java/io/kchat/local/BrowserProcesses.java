package io.kchat.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The processes of one {@link Browser}: its ChromeDriver, a child of this JVM started with its own port, and every
 * Chromium process (browser, zygotes, renderers, GPU and utility processes), each started with the browser's profile
 * directory. Found by those arguments rather than as the driver's descendants, so a Chromium whose driver died is
 * still found.
 */
final class BrowserProcesses {

    private BrowserProcesses() {
    }

    static List<ProcessHandle> of(int driverPort, Path profile) {
        Stream<ProcessHandle> driver = ProcessHandle.current().children()
                .filter(process -> hasArgument(process, "--port=" + driverPort));
        Stream<ProcessHandle> chromium = ProcessHandle.allProcesses()
                .filter(process -> hasArgument(process, "--user-data-dir=" + profile));
        return Stream.concat(driver, chromium).toList();
    }

    /** Kills what still runs of {@code processes}. */
    static void killSurvivors(List<ProcessHandle> processes) {
        processes.stream().filter(BrowserProcesses::running).forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Alive and not a zombie. Chromium's zygotes are re-parented to init when Chromium exits and stay zombies until
     * init collects them; {@link ProcessHandle#isAlive()} still says true for those, but they have no command line.
     */
    static boolean running(ProcessHandle process) {
        return process.isAlive() && process.info().command().isPresent();
    }

    private static boolean hasArgument(ProcessHandle process, String argument) {
        return (" " + commandLine(process) + " ").contains(" " + argument + " ");
    }

    /**
     * Read from /proc, not {@link ProcessHandle.Info}: Chromium rewrites the process title of its helpers into one
     * space-separated string, which Info reports as a command without arguments.
     */
    private static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"), StandardCharsets.ISO_8859_1)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return ""; // it ended meanwhile
        }
    }
}
