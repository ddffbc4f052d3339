package io.kchat.delivery;

import com.zaxxer.hikari.HikariDataSource;
import io.kchat.delivery.archive.ArchiveStore;
import io.kchat.delivery.assistant.AssistantStreamRelay;
import io.kchat.delivery.archive.Archiver;
import io.kchat.delivery.loop.ConsumerLoop;
import io.kchat.delivery.loop.ServiceLoop;
import io.kchat.delivery.metrics.DeliveryMetrics;
import io.kchat.delivery.presence.PresenceProjector;
import io.kchat.delivery.push.PushLoop;
import io.kchat.delivery.push.PushMetrics;
import io.kchat.delivery.push.PushSender;
import io.kchat.delivery.reaper.SessionReaper;
import io.kchat.delivery.routing.EphemeralFanOut;
import io.kchat.delivery.routing.SessionDirectory;
import io.kchat.delivery.typing.TypingRelay;
import io.kchat.observability.CheckResult;
import io.kchat.observability.Checks;
import io.kchat.observability.Health;
import io.kchat.schemas.EgressTopics;
import io.kchat.schemas.PushEndpoints;
import io.kchat.schemas.TopicCatalogue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running delivery-service: the archiver, the presence projector, the typing relay, the relay of the assistant's
 * answers as they are written, the push sender (with
 * its janitor) and the session reaper, each on its own thread, sharing one producer, one view of the egress topics and
 * one connection pool. Closing it stops the loops, then flushes the producer, then closes the pool.
 *
 * <p>Reports into the process's {@link Health}: alive while every loop runs, ready while besides Kafka and the
 * database answer, failed when a loop stops on its own, draining from the first moment of {@link #close()}. Its
 * meters ({@link DeliveryMetrics}) and its Kafka clients' own (consumer lag among them) go to the registry.
 */
public final class DeliveryService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Pause before a batch the database could not take is read again. */
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
    /**
     * Pause before updates read ahead of their messages are read again: long enough for a poll or two of the
     * messages, short since the updates' readers (history) wait for them.
     */
    private static final Duration HOLD_PAUSE = Duration.ofMillis(200);

    private final Map<String, ServiceLoop> loops;
    private final Producer<byte[], byte[]> producer;
    private final EgressTopics egressTopics;
    private final HikariDataSource database;
    private final Health health;
    private final List<KafkaClientMetrics> clientMetrics;
    // read by health checks while the threads start
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final CountDownLatch loopEnded = new CountDownLatch(1);
    private volatile Throwable failure;
    private volatile boolean closed;

    private DeliveryService(Map<String, ServiceLoop> loops, Producer<byte[], byte[]> producer,
                            EgressTopics egressTopics, HikariDataSource database, Health health,
                            List<KafkaClientMetrics> clientMetrics) {
        this.loops = loops;
        this.producer = producer;
        this.egressTopics = egressTopics;
        this.database = database;
        this.health = health;
        this.clientMetrics = clientMetrics;
    }

    /**
     * Migrates the database and starts every loop; the topics must exist (see {@link Main#start}).
     * What was opened is closed again when a later step fails.
     */
    static DeliveryService start(DeliveryConfig config, Clock clock, MeterRegistry registry, Health health) {
        TopicCatalogue catalogue = new TopicCatalogue(config.topicPrefix(), config.messageRetention());
        DeliveryMetrics metrics = new DeliveryMetrics(registry);
        List<KafkaClientMetrics> clientMetrics = new ArrayList<>();
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            HikariDataSource database = opened(opened, DeliveryDatabase.open(config.database()));
            // shared with the readiness check; EgressTopics closes it
            Admin admin = Admin.create(config.adminProperties());
            EgressTopics egressTopics = opened(opened, new EgressTopics(admin,
                    node -> catalogue.egress(node).name(), config.egressTopicsRefresh(), clock));
            Producer<byte[], byte[]> producer = opened(opened, new KafkaProducer<>(config.producerProperties()));
            clientMetrics.add(new KafkaClientMetrics(producer));
            SessionDirectory directory = new SessionDirectory(database);
            EphemeralFanOut fanOut = new EphemeralFanOut(directory, egressTopics, producer, metrics);

            Map<String, ServiceLoop> loops = new LinkedHashMap<>();
            // one consumer for the three: the range assignment (the default) gives partition p of each of these
            // co-partitioned topics to one instance, so the messages an update waits for are the ones it archives next
            loops.put("archiver", ConsumerLoop.partial("archiver",
                    consumer(opened, clientMetrics, config.archiveConsumerProperties()),
                    List.of(catalogue.messages().name(), catalogue.receipts().name(),
                            catalogue.messageUpdates().name()), config.pollTimeout(), RETRY_BACKOFF, HOLD_PAUSE,
                    new Archiver(database, new ArchiveStore(), catalogue.messages().name(),
                            catalogue.messageUpdates().name(), metrics),
                    metrics));
            loops.put("presence", new ConsumerLoop("presence",
                    consumer(opened, clientMetrics, config.presenceConsumerProperties()),
                    List.of(catalogue.presence().name()), config.pollTimeout(), RETRY_BACKOFF,
                    new PresenceProjector(database, directory, fanOut), metrics));
            loops.put("typing", new ConsumerLoop("typing",
                    consumer(opened, clientMetrics, config.typingConsumerProperties()),
                    List.of(catalogue.typing().name()), config.pollTimeout(), RETRY_BACKOFF,
                    new TypingRelay(directory, fanOut, config.typingMaxAge(), clock), metrics));
            loops.put("assistant-stream", new ConsumerLoop("assistant-stream",
                    consumer(opened, clientMetrics, config.assistantStreamConsumerProperties()),
                    List.of(catalogue.assistantStream().name()), config.pollTimeout(), RETRY_BACKOFF,
                    new AssistantStreamRelay(fanOut, AssistantStreamRelay.MAX_AGE, clock), metrics));
            PushSender pushSender = new PushSender(database, config.push(), new PushMetrics(registry), clock,
                    PushEndpoints.Resolver.SYSTEM);
            loops.put("push", new PushLoop(new ConsumerLoop("push",
                    consumer(opened, clientMetrics, config.pushConsumerProperties()),
                    List.of(catalogue.push().name()), config.pollTimeout(), RETRY_BACKOFF, pushSender, metrics),
                    pushSender));
            loops.put("push-janitor", pushSender.janitor());
            loops.put("session-reaper", new SessionReaper(database, producer, catalogue.userInbound().name(),
                    config.nodeReapInterval(), config.nodeExpiry(), SessionReaper.DEFAULT_BATCH_LIMIT, clock));

            metrics.loops(loops.keySet());
            clientMetrics.forEach(client -> client.bindTo(registry));
            DeliveryService service = new DeliveryService(loops, producer, egressTopics, database, health,
                    clientMetrics);
            health.liveness("loops", service::loopsRunning)
                    .readiness("kafka", Checks.kafka(admin))
                    .readiness("database", Checks.database(database));
            service.startThreads();
            health.serving();
            return service;
        } catch (RuntimeException | Error e) {
            health.failed("start failed: " + e);
            clientMetrics.forEach(KafkaClientMetrics::close);
            closeAll(opened, e);
            throw e;
        }
    }

    private static Consumer<byte[], byte[]> consumer(Deque<AutoCloseable> opened,
                                                     List<KafkaClientMetrics> clientMetrics,
                                                     Map<String, Object> properties) {
        KafkaConsumer<byte[], byte[]> consumer = opened(opened, new KafkaConsumer<>(properties));
        clientMetrics.add(new KafkaClientMetrics(consumer));
        return consumer;
    }

    /** Liveness: every loop's thread runs (while stopping, they end one by one: that is not a failure). */
    private CheckResult loopsRunning() {
        Throwable failed = failure;
        if (failed != null) {
            return CheckResult.unhealthy("a loop failed: " + failed);
        }
        if (closed) {
            return CheckResult.healthy("stopping");
        }
        List<String> stopped = threads.stream().filter(t -> !t.isAlive()).map(Thread::getName).toList();
        return stopped.isEmpty() ? CheckResult.healthy(threads.size() + " loops running")
                : CheckResult.unhealthy("stopped: " + String.join(", ", stopped));
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
     * (projections committed), then closes its consumer, which leaves its group at once; then the producer flushes, then the pool closes. The loops get {@link #STOP_TIMEOUT} together.
     */
    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        health.draining();
        long started = System.nanoTime();
        // before the consumers close under them
        clientMetrics.forEach(KafkaClientMetrics::close);
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
                health.failed(name + " stopped on its own");
                log.error("{} stopped although the service was not closed", name);
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            health.failed(name + " failed: " + e);
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
