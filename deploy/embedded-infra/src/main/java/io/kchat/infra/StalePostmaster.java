package io.kchat.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after a previous owner of a PostgreSQL data directory that died without stopping its server
 * (JVM killed with SIGKILL). zonky starts postgres through {@code pg_ctl}, so the postmaster is not a
 * child of the JVM and outlives it; its postmaster.pid then blocks the next start.
 *
 * <p>The previous owner is known to be gone when zonky's {@code epg-lock} file is not locked: zonky holds
 * that OS file lock for as long as its JVM runs the server.
 */
final class StalePostmaster {

    private static final Logger LOG = LoggerFactory.getLogger(StalePostmaster.class);
    private static final String PID_FILE = "postmaster.pid";
    private static final String ZONKY_LOCK_FILE = "epg-lock";
    private static final long STOP_TIMEOUT_SECONDS = 60;

    private StalePostmaster() {
    }

    /**
     * Stops an orphaned postmaster of {@code dataDir} or removes its stale pid file.
     *
     * @throws IllegalStateException if a live process (this JVM or another) still owns the data directory
     */
    static void clear(Path dataDir) {
        Path pidFile = dataDir.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return;
        }
        Path lockFile = dataDir.resolve(ZONKY_LOCK_FILE);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = tryLock(channel, dataDir)) {
            Optional<ProcessHandle> postmaster = readPid(pidFile).flatMap(ProcessHandle::of)
                    .filter(ProcessHandle::isAlive)
                    .filter(StalePostmaster::isPostgres);
            if (postmaster.isPresent()) {
                stop(postmaster.get(), dataDir);
            } else {
                // postgres refuses to start while the recorded pid belongs to any live process.
                LOG.info("Removing stale {} in {}", PID_FILE, dataDir);
                Files.deleteIfExists(pidFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not clean up after the previous server of " + dataDir, e);
        }
    }

    private static FileLock tryLock(FileChannel channel, Path dataDir) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("PostgreSQL data dir " + dataDir + " is in use by this JVM", e);
        }
        if (lock == null) {
            throw new IllegalStateException("PostgreSQL data dir " + dataDir + " is in use by another process");
        }
        return lock;
    }

    /**
     * Fast shutdown, as {@code pg_ctl stop -m fast} would do, by sending SIGINT ourselves: pg_ctl refuses
     * to run as root, and zonky only gets around that by running it in a user namespace.
     */
    private static void stop(ProcessHandle postmaster, Path dataDir) {
        LOG.warn("Stopping orphaned postmaster {} of {} left by a previous run", postmaster.pid(), dataDir);
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid()))
                    .redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("Could not signal orphaned postmaster " + postmaster.pid() + ": " + output);
            }
            postmaster.onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("Orphaned postmaster {} stopped", postmaster.pid());
        } catch (TimeoutException e) {
            LOG.warn("Orphaned postmaster {} still running after {} s; killing it", postmaster.pid(), STOP_TIMEOUT_SECONDS, e);
            postmaster.destroyForcibly();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not signal orphaned postmaster " + postmaster.pid(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not wait for orphaned postmaster " + postmaster.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping orphaned postmaster " + postmaster.pid(), e);
        }
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command().map(Path::of).map(Path::getFileName)
                .map(name -> name.toString().equals("postgres")).orElse(false);
    }

    private static Optional<Long> readPid(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(lines.get(0).strip()));
        } catch (NumberFormatException e) {
            LOG.warn("Unreadable pid in {}: '{}'", pidFile, lines.get(0), e);
            return Optional.empty();
        }
    }
}
