package io.kchat.fault;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service as a child JVM started from its runnable jar, configured by environment only. Its output goes
 * to this JVM's log, prefixed with its name and pid. {@link #kill9()} is SIGKILL on the java process itself
 * (it is started directly, without a wrapper), {@link #stop()} SIGTERM; {@link #restart()} starts it again with
 * the same settings.
 *
 * <p>Every child still running when this JVM exits is killed by a shutdown hook, a backstop for the tests'
 * own teardown.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceProcess.class);
    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "kill-service-children"));
    }

    private final Service service;
    private final String name;
    private final Map<String, String> env;
    /** Settings a restart adds over {@code env} (the port a gateway first got, see {@link #pinPort()}). */
    private final Map<String, String> overrides = new HashMap<>();
    private final Logger output;
    private Process process;
    private CompletableFuture<Integer> ready;
    private int port;
    private long launchedAt;

    private ServiceProcess(Service service, String name, Map<String, String> env) {
        this.service = service;
        this.name = name;
        this.env = Map.copyOf(env);
        this.output = LoggerFactory.getLogger("service." + name);
    }

    /** Launches the service; {@link #awaitReady()} waits for its ready line. */
    static ServiceProcess launch(Service service, String name, Map<String, String> env) {
        ServiceProcess child = new ServiceProcess(service, name, env);
        child.launch();
        return child;
    }

    /** Launches and waits until it serves. */
    static ServiceProcess start(Service service, String name, Map<String, String> env) {
        return launch(service, name, env).awaitReady();
    }

    String name() {
        return name;
    }

    synchronized long pid() {
        return process.pid();
    }

    synchronized boolean isAlive() {
        return process.isAlive();
    }

    /** The gateway's HTTP port, as printed in its ready line. */
    synchronized int port() {
        return port;
    }

    private synchronized long launchedAt() {
        return launchedAt;
    }

    ServiceProcess awaitReady() {
        CompletableFuture<Integer> awaited;
        synchronized (this) {
            awaited = ready;
        }
        try {
            Integer readyPort = awaited.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            synchronized (this) {
                port = readyPort;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill9();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            kill9();
            throw new IllegalStateException(name + " did not print its ready line within " + READY_TIMEOUT, e);
        }
        log.info("{} (pid {}) ready {} ms after its launch", name, pid(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launchedAt()));
        return this;
    }

    /** SIGKILL: no shutdown hook, no flush, no leave-group. Returns once the process is gone. */
    synchronized void kill9() {
        if (process.isAlive()) {
            log.info("kill -9 {} (pid {})", name, process.pid());
        }
        process.destroyForcibly();
        waitForExit(STOP_TIMEOUT);
    }

    /**
     * SIGSTOP: the process stays, its sockets stay open, it answers nothing and its heartbeats stop, as in a
     * long GC pause or a VM freeze.
     */
    synchronized void freeze() {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}: it carries on from where it stopped, unaware of the time it lost. */
    synchronized void thaw() {
        signal("CONT");
    }

    /**
     * How a SIGTERM ended: the process exited {@code byItself} (its shutdown hook ran to the end) or was killed at
     * the timeout, {@code took} after the signal, with {@code exitCode} (143 = 128 + SIGTERM for a JVM).
     */
    record Stopped(boolean byItself, Duration took, int exitCode) {
    }

    /** SIGTERM and wait, as {@link #stop(Duration)} with the default timeout. */
    Stopped stop() {
        return stop(STOP_TIMEOUT);
    }

    /**
     * SIGTERM (a graceful stop: the service drains in its shutdown hook) and wait for the process to exit; SIGKILL
     * if it takes longer than {@code timeout}.
     */
    synchronized Stopped stop(Duration timeout) {
        if (!process.isAlive()) {
            return new Stopped(true, Duration.ZERO, process.exitValue());
        }
        log.info("kill -TERM {} (pid {})", name, process.pid());
        long signalled = System.nanoTime();
        // SIGTERM through the handle: Process.destroy() would also close our end of its output, and the drain's
        // log lines would be lost
        process.toHandle().destroy();
        boolean byItself = waitForExit(timeout);
        if (!byItself) {
            log.warn("{} (pid {}) ignored SIGTERM for {}; killing it", name, process.pid(), timeout);
            kill9();
        }
        Stopped stopped = new Stopped(byItself, Duration.ofNanos(System.nanoTime() - signalled), process.exitValue());
        log.info("{} (pid {}) exited {} ms after SIGTERM{}, exit code {}", name, process.pid(),
                stopped.took().toMillis(), byItself ? "" : " (killed)", stopped.exitCode());
        return stopped;
    }

    /** Starts the service again with the same environment (the previous process must be gone) and waits for ready. */
    ServiceProcess restart() {
        synchronized (this) {
            if (process.isAlive()) {
                throw new IllegalStateException(name + " is still running (pid " + process.pid() + ")");
            }
            launch();
        }
        return awaitReady();
    }

    /**
     * Restarts come back on the port the service serves on now, as a gateway restarted behind a fixed address (a
     * load balancer entry, a DNS name): its clients reconnect to the node that came back, not to another one.
     */
    synchronized void pinPort() {
        overrides.put("CHAT_PORT", Integer.toString(port));
    }

    /** Kills the process: the tests never need a clean stop at teardown, only that nothing is left running. */
    @Override
    public void close() {
        kill9();
    }

    private synchronized void launch() {
        List<String> command = new ArrayList<>(List.of(javaExecutable(),
                "-Xmx" + service.heapMegabytes() + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("--enable-native-access=ALL-UNNAMED"); // RocksDB in the processor
        Path jar = ServiceJars.jar(service);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .directory(jar.getParent().toFile());
        Map<String, String> environment = builder.environment();
        // only what is set here: a developer's own KAFKA_BOOTSTRAP_SERVERS must not leak into a test
        String path = environment.get("PATH");
        environment.clear();
        environment.put("PATH", path == null ? "/usr/bin:/bin" : path);
        environment.put("HOME", System.getProperty("user.home"));
        environment.putAll(env);
        environment.putAll(overrides);
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
        RUNNING.add(started);
        started.onExit().thenRun(() -> RUNNING.remove(started));
        process = started;
        launchedAt = System.nanoTime();
        ready = forwardOutput(started);
        log.info("started {} (pid {})", name, process.pid());
    }

    /** The java running these tests: the services run on the same JDK. */
    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Drains the child's output for its whole life (a full pipe would block it); completes on the ready line. */
    private CompletableFuture<Integer> forwardOutput(Process child) {
        CompletableFuture<Integer> readyLine = new CompletableFuture<>();
        String prefix = "[" + name + " " + child.pid() + "] ";
        Thread.ofPlatform().daemon().name("output-" + name + "-" + child.pid()).start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.info("{}{}", prefix, line);
                    Matcher matcher = service.readyLine().matcher(line);
                    if (!readyLine.isDone() && matcher.find()) {
                        readyLine.complete(matcher.groupCount() > 0 ? Integer.parseInt(matcher.group(1)) : 0);
                    }
                }
            } catch (IOException e) {
                log.debug("output of {} closed", prefix, e);
            }
            readyLine.completeExceptionally(new IllegalStateException(prefix + "ended before its ready line"));
        });
        return readyLine;
    }

    private void signal(String signal) {
        log.info("kill -{} {} (pid {})", signal, name, process.pid());
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + name, e);
        }
    }

    private boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }
}
