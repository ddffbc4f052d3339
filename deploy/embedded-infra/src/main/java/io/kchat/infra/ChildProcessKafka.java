package io.kchat.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link KafkaBrokerMain} in a child JVM (same java and classpath as this one), so that a test can
 * SIGKILL the broker with {@link #kill()} and start a new one on the same data directory and port.
 * The child's output is forwarded to this JVM's log.
 */
public final class ChildProcessKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcessKafka.class);
    private static final Logger CHILD_LOG = LoggerFactory.getLogger(ChildProcessKafka.class.getName() + ".child");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;

    private ChildProcessKafka(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static ChildProcessKafka start(Path dataDir, int port) {
        return start(dataDir, port, Map.of());
    }

    /** Launches the broker and returns once the child printed its ready line. Port 0 picks a free one. */
    public static ChildProcessKafka start(Path dataDir, int port, Map<String, String> overrides) {
        int clientPort = FreePorts.pickIfZero(port);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC",
                "-D" + KafkaBrokerMain.EXIT_WITH_PARENT_PROPERTY + "=true"));
        if (Runtime.version().feature() >= 23) {
            // Kafka unmaps index files through sun.misc.Unsafe, which JDK 23+ warns about on stderr.
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                KafkaBrokerMain.class.getName(),
                dataDir.toAbsolutePath().toString(),
                Integer.toString(clientPort)));
        overrides.forEach((key, value) -> command.add(key + "=" + value));

        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not launch the Kafka child process", e);
        }
        ChildProcessKafka kafka = new ChildProcessKafka(process, clientPort);
        CompletableFuture<Void> ready = kafka.forwardOutput();
        try {
            ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kafka.kill();
            throw new IllegalStateException("Interrupted while waiting for the Kafka child process", e);
        } catch (ExecutionException | TimeoutException e) {
            kafka.kill();
            throw new IllegalStateException("Kafka child process (pid " + process.pid() + ") did not become ready", e);
        }
        LOG.info("Kafka child process {} ready on {}", process.pid(), kafka.bootstrapServers());
        return kafka;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the broker gets no chance to flush or shut down. Returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        waitForExit("kill");
    }

    /** SIGTERM and wait for a clean shutdown; falls back to SIGKILL after a timeout. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitForExit("close")) {
            LOG.warn("Kafka child process {} ignored SIGTERM for {}; killing it", process.pid(), STOP_TIMEOUT);
            kill();
        }
    }

    private boolean waitForExit(String reason) {
        try {
            boolean exited = process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (exited) {
                LOG.info("Kafka child process {} exited with {} ({})", process.pid(), process.exitValue(), reason);
            }
            return exited;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka child process " + process.pid(), e);
        }
    }

    /** Drains the child's output for its whole life (a full pipe would block it); completes on the ready line. */
    private CompletableFuture<Void> forwardOutput() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    CHILD_LOG.info("[kafka {}] {}", process.pid(), line);
                    if (line.startsWith(KafkaBrokerMain.READY_LINE_PREFIX)) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                LOG.debug("Output of Kafka child process {} closed", process.pid(), e);
            }
            ready.completeExceptionally(new IllegalStateException(
                    "Kafka child process " + process.pid() + " ended its output before printing the ready line"));
        }, "kafka-child-output-" + process.pid());
        pump.setDaemon(true);
        pump.start();
        return ready;
    }
}
