package io.kchat.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker, single node in KRaft combined mode (broker and controller), running in
 * this JVM. Its data directory is kept between runs: it is formatted only the first time, and the
 * cluster id lives in its meta.properties.
 *
 * <p>Listeners: PLAINTEXT on {@code 127.0.0.1:port} (the one clients use) and CONTROLLER on another
 * free loopback port picked at each start.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final int port;
    private final String clusterId;
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private ShutdownHook shutdownHook;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, Path dataDir, int port, String clusterId) {
        this.server = server;
        this.dataDir = dataDir;
        this.port = port;
        this.clusterId = clusterId;
    }

    /** Same as {@link #start(Path, int, Map)} without broker property overrides. */
    public static EmbeddedKafka start(Path dataDir, int port) {
        return start(dataDir, port, Map.of());
    }

    /**
     * Starts the broker and returns once it answers an Admin {@code describeCluster}.
     *
     * @param dataDir   Kafka log directory, created and formatted if needed; nothing else may live in it
     * @param port      client (PLAINTEXT) port on 127.0.0.1; 0 picks a free one
     * @param overrides broker properties applied over the single-node defaults (e.g. timeouts for fault tests)
     */
    public static EmbeddedKafka start(Path dataDir, int port, Map<String, String> overrides) {
        long startNanos = System.nanoTime();
        Path logDir = dataDir.toAbsolutePath();
        createDirectories(logDir);
        int clientPort = FreePorts.pickIfZero(port);
        int controllerPort = FreePorts.pick();
        KafkaConfig config = KafkaConfig.fromProps(
                KafkaBrokerConfig.properties(logDir, clientPort, controllerPort, overrides), false);
        KraftStorage.formatIfNeeded(config, logDir);

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        EmbeddedKafka kafka = new EmbeddedKafka(server, logDir, clientPort, KraftStorage.clusterId(logDir));
        try {
            server.startup();
            kafka.awaitReady();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        kafka.shutdownHook = ShutdownHook.register("embedded-kafka-shutdown-" + clientPort, kafka::close);
        LOG.info("Kafka broker ready on {} (cluster {}, data {}) in {} ms", kafka.bootstrapServers(),
                kafka.clusterId, logDir, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        return kafka;
    }

    /**
     * For an owner that stops this server itself, in order, from its own shutdown hook: the JVM runs
     * hooks concurrently, so ours would stop the server under services that are still draining.
     */
    public synchronized void ownShutdown() {
        if (shutdownHook != null) {
            shutdownHook.remove();
            shutdownHook = null;
        }
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The cluster id written when the data directory was formatted; stable across restarts. */
    public String clusterId() {
        return clusterId;
    }

    /** Stops the broker and waits until it has shut down; idempotent and safe from a shutdown hook. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            LOG.info("Stopping Kafka broker on {}", bootstrapServers());
            server.shutdown();
            server.awaitShutdown();
            LOG.info("Kafka broker on {} stopped", bootstrapServers());
        } finally {
            if (shutdownHook != null) {
                shutdownHook.remove();
            }
            closedLatch.countDown();
        }
    }

    /** Blocks until {@link #close()} has completed (used by the child-process main). */
    void awaitClosed() throws InterruptedException {
        closedLatch.await();
    }

    private void awaitReady() {
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness");
        try (Admin admin = Admin.create(adminConfig)) {
            DescribeClusterResult cluster = admin.describeCluster(
                    new DescribeClusterOptions().timeoutMs((int) READY_TIMEOUT.toMillis()));
            Collection<Node> nodes = cluster.nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            String reportedClusterId = cluster.clusterId().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (nodes.isEmpty() || !clusterId.equals(reportedClusterId)) {
                throw new IllegalStateException("Broker on " + bootstrapServers() + " not ready: nodes " + nodes
                        + ", cluster id " + reportedClusterId + " (expected " + clusterId + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the broker on " + bootstrapServers(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Broker on " + bootstrapServers() + " did not answer describeCluster", e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create Kafka data dir " + dir, e);
        }
    }
}
