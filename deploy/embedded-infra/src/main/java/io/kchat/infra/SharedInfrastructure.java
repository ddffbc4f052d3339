package io.kchat.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka broker, one PostgreSQL server and one S3 server per test JVM, started on first use in a
 * temporary directory and stopped (then the directory deleted) by a JVM shutdown hook.
 *
 * <p>Tests share them, so they isolate themselves by name: topics under {@link #uniquePrefix(String)},
 * schemas in a {@link #freshDatabase(String)}, objects in a {@link #freshBucket(String)}.
 */
public final class SharedInfrastructure {

    private static final Logger LOG = LoggerFactory.getLogger(SharedInfrastructure.class);
    private static final String ROOT_PREFIX = "kchat-it-";
    private static final String OWNER_LOCK = "owner.lock";
    private static final long LEFTOVER_MIN_AGE_MS = 60_000;
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** The bucket the S3 server starts with: the gateway's default S3_BUCKET. */
    private static final String DEFAULT_BUCKET = "kchat-media";

    private static Path root;
    private static FileChannel ownerLockChannel;
    private static EmbeddedKafka kafka;
    private static EmbeddedPostgresServer postgres;
    private static EmbeddedS3 s3;

    private SharedInfrastructure() {
    }

    public static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            kafka = EmbeddedKafka.start(root().resolve("kafka"), 0);
        }
        return kafka;
    }

    public static synchronized EmbeddedPostgresServer postgres() {
        if (postgres == null) {
            postgres = EmbeddedPostgresServer.start(root().resolve("postgres"), 0);
        }
        return postgres;
    }

    /** The shared S3 server; its bucket {@code kchat-media} exists, but tests should take a {@link #freshBucket}. */
    public static synchronized EmbeddedS3 s3() {
        if (s3 == null) {
            s3 = EmbeddedS3.start(root().resolve("s3"), 0, DEFAULT_BUCKET);
        }
        return s3;
    }

    /**
     * A topic-name prefix unique in this JVM, e.g. {@code t-chatRoundTrip-7-}. Characters not allowed in
     * topic names become {@code -}.
     */
    public static String uniquePrefix(String testName) {
        String name = testName.replaceAll("[^a-zA-Z0-9._-]", "-");
        return "t-" + truncate(name, 60) + "-" + COUNTER.incrementAndGet() + "-";
    }

    /**
     * Creates a new empty database on the shared server, named after {@code name} plus a counter, and
     * returns its JDBC url (credentials: {@code postgres().user()} / {@code postgres().password()}).
     */
    public static String freshDatabase(String name) {
        String base = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return postgres().createDatabaseIfMissing("t_" + truncate(base, 40) + "_" + COUNTER.incrementAndGet());
    }

    /**
     * Creates a new empty bucket on the shared S3 server, named after {@code name} plus a counter (e.g.
     * {@code t-media-upload-7}), and returns its name. Characters not allowed in bucket names become {@code -}.
     */
    public static String freshBucket(String name) {
        String bucket = bucketName(name, COUNTER.incrementAndGet());
        s3().createBucket(bucket);
        return bucket;
    }

    /** {@code t-<name>-<n>}: lower case, [a-z0-9-] only, at most 63 characters, as S3 wants. */
    static String bucketName(String name, int n) {
        String base = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return "t-" + truncate(base, 40) + "-" + n;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static Path root() {
        if (root == null) {
            try {
                Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
                removeLeftoversOfKilledRuns(tmp);
                Path dir = Files.createTempDirectory(tmp, ROOT_PREFIX);
                ownerLockChannel = FileChannel.open(dir.resolve(OWNER_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                // Held until this JVM ends (released by the OS), so later runs can tell a live root from a leftover.
                ownerLockChannel.lock();
                LOG.info("Shared test infrastructure in {}", dir);
                Runtime.getRuntime().addShutdownHook(new Thread(SharedInfrastructure::shutdown, "shared-infrastructure-shutdown"));
                root = dir;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create the shared test infrastructure directory", e);
            }
        }
        return root;
    }

    private static synchronized void shutdown() {
        // Each server also has its own hook; close() is synchronized and idempotent, so whichever runs
        // first does the work and the other waits for it: the directory is deleted only after both stopped.
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            try {
                if (postgres != null) {
                    postgres.close();
                }
            } finally {
                if (s3 != null) {
                    s3.close();
                }
                deleteRecursively(root);
            }
        }
    }

    /** A JVM killed with SIGKILL leaves its root behind, with a postmaster still running in it. */
    private static void removeLeftoversOfKilledRuns(Path tmp) {
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(tmp, ROOT_PREFIX + "*")) {
            for (Path candidate : candidates) {
                try {
                    removeIfAbandoned(candidate);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Could not remove {} left by an earlier test run", candidate, e);
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not look for leftovers of earlier test runs in {}", tmp, e);
        }
    }

    private static void removeIfAbandoned(Path candidate) throws IOException {
        Path lockFile = candidate.resolve(OWNER_LOCK);
        // A young root may belong to a JVM that has not taken its lock yet.
        if (!Files.isRegularFile(lockFile)
                || Files.getLastModifiedTime(lockFile).toMillis() > System.currentTimeMillis() - LEFTOVER_MIN_AGE_MS) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                return;
            }
            LOG.warn("Removing {} left by a test JVM that was killed", candidate);
            Path pgData = candidate.resolve("postgres");
            if (Files.isDirectory(pgData)) {
                StalePostmaster.clear(pgData);
            }
        }
        deleteRecursively(candidate);
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not delete {}", dir, e);
        }
    }
}
