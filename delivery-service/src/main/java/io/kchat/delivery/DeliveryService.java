package io.kchat.delivery;

import com.zaxxer.hikari.HikariDataSource;
import io.kchat.schemas.TopicCatalogue;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running delivery-service: the router, the archiver, the presence projector, the typing relay and
 * the session reaper, each on its own thread, sharing one producer, one view of the egress topics and
 * one connection pool. Closing it stops the loops, then flushes the producer, then closes the pool.
 */
public final class DeliveryService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Pause before a batch the database could not take is read again. */
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    private final Map<String, ServiceLoop> loops;
    private final Producer<byte[], byte[]> producer;
    private final EgressTopics egressTopics;
    private final HikariDataSource database;
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch loopEnded = new CountDownLatch(1);
    private volatile Throwable failure;
    private volatile boolean closed;

    private DeliveryService(Map<String, ServiceLoop> loops, Producer<byte[], byte[]> producer,
                            EgressTopics egressTopics, HikariDataSource database) {
        this.loops = loops;
        this.producer = producer;
        this.egressTopics = egressTopics;
        this.database = database;
    }

    /**
     * Migrates the database and starts every loop; the topics must exist (see {@link Main#start}).
     * What was opened is closed again when a later step fails.
     */
    static DeliveryService start(DeliveryConfig config, Clock clock) {
        TopicCatalogue catalogue = new TopicCatalogue(config.topicPrefix());
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            HikariDataSource database = opened(opened, DeliveryDatabase.open(config.database()));
            EgressTopics egressTopics = opened(opened, new EgressTopics(Admin.create(config.adminProperties()),
                    node -> catalogue.egress(node).name(), config.egressTopicsRefresh(), clock));
            Producer<byte[], byte[]> producer = opened(opened, new KafkaProducer<>(config.producerProperties()));
            SessionDirectory directory = new SessionDirectory(database);
            EphemeralFanOut fanOut = new EphemeralFanOut(directory, egressTopics, producer);

            Map<String, ServiceLoop> loops = new LinkedHashMap<>();
            loops.put("delivery-router", new DeliveryRouter(
                    opened(opened, new KafkaConsumer<>(config.routerConsumerProperties())),
                    producer, egressTopics, catalogue.deliveries().name(), config.pollTimeout()));
            loops.put("archiver", new ConsumerLoop("archiver",
                    opened(opened, new KafkaConsumer<>(config.archiveConsumerProperties())),
                    List.of(catalogue.messages().name(), catalogue.receipts().name()), config.pollTimeout(),
                    RETRY_BACKOFF, new Archiver(database, new ArchiveStore(), catalogue.messages().name())));
            loops.put("presence", new ConsumerLoop("presence",
                    opened(opened, new KafkaConsumer<>(config.presenceConsumerProperties())),
                    List.of(catalogue.presence().name()), config.pollTimeout(), RETRY_BACKOFF,
                    new PresenceProjector(database, directory, fanOut)));
            loops.put("typing", new ConsumerLoop("typing",
                    opened(opened, new KafkaConsumer<>(config.typingConsumerProperties())),
                    List.of(catalogue.typing().name()), config.pollTimeout(), RETRY_BACKOFF,
                    new TypingRelay(directory, fanOut, config.typingMaxAge(), clock)));
            loops.put("session-reaper", new SessionReaper(database, producer, catalogue.userInbound().name(),
                    config.nodeReapInterval(), config.nodeExpiry(), SessionReaper.DEFAULT_BATCH_LIMIT, clock));

            DeliveryService service = new DeliveryService(loops, producer, egressTopics, database);
            service.startThreads();
            return service;
        } catch (RuntimeException | Error e) {
            closeAll(opened, e);
            throw e;
        }
    }

    /**
     * Blocks until a loop ends: by {@link #close()}, or by a failure ({@link #failure()}), after which the
     * service is no longer whole and should be restarted.
     */
    public void awaitTermination() throws InterruptedException {
        loopEnded.await();
    }

    /** Why a loop stopped on its own, or {@code null}. */
    public Throwable failure() {
        return failure;
    }

    /**
     * SIGTERM: each loop stops polling, finishes its batch and commits it only once what it caused is durable
     * (routed copies acknowledged, projections committed), then closes its consumer, which leaves its group at
     * once; then the producer flushes, then the pool closes. The loops get {@link #STOP_TIMEOUT} together.
     */
    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        loops.values().forEach(ServiceLoop::stop);
        long deadline = started + STOP_TIMEOUT.toNanos();
        for (Thread thread : threads) {
            if (!thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                log.warn("{} did not stop within {}", thread.getName(), STOP_TIMEOUT);
            }
        }
        log.info("{} loops stopped, their last batches committed, in {} ms", threads.size(), millisSince(started));
        try {
            // close() sends what the loops handed over and waits for it, like flush()
            long flushStarted = System.nanoTime();
            producer.close(PRODUCER_CLOSE_TIMEOUT);
            log.info("producer flushed and closed in {} ms", millisSince(flushStarted));
        } finally {
            try {
                egressTopics.close();
            } finally {
                database.close();
            }
        }
    }

    private void startThreads() {
        loops.forEach((name, loop) -> threads.add(Thread.ofPlatform().name(name).start(() -> runLoop(name, loop))));
    }

    private void runLoop(String name, ServiceLoop loop) {
        try {
            loop.run();
            if (!closed) {
                failure = new IllegalStateException(name + " stopped on its own");
                log.error("{} stopped although the service was not closed", name);
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            log.error("{} failed", name, e);
        } finally {
            loopEnded.countDown();
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private static <T extends AutoCloseable> T opened(Deque<AutoCloseable> opened, T resource) {
        opened.push(resource);
        return resource;
    }

    private static void closeAll(Deque<AutoCloseable> opened, Throwable failure) {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
