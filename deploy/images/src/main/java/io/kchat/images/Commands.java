package io.kchat.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the build host's tools (jlink, ldd, git, dpkg-query) and hands back what they printed. */
final class Commands {

    /** What a finished command printed, stdout and stderr together, and how it exited. */
    record Result(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private static final long TIMEOUT_MINUTES = 5;

    private Commands() {
    }

    static Result run(List<String> command) throws IOException {
        return run(command, Map.of());
    }

    static Result run(List<String> command, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.getFirst() + " (is it installed?): " + e.getMessage(), e);
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(command.getFirst() + " did not finish in " + TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
        return new Result(process.exitValue(), output);
    }

    /** Like {@link #run(List)}, but a non-zero exit is a build failure. */
    static String check(List<String> command) throws IOException {
        Result result = run(command);
        if (!result.succeeded()) {
            throw new IOException(String.join(" ", command) + " exited with " + result.exitCode() + ":\n"
                    + result.output());
        }
        return result.output();
    }
}
