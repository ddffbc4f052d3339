package io.kchat.delivery.routing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kchat.delivery.metrics.DeliveryMetrics;
import io.kchat.events.Delivery;
import io.kchat.events.ReplayFinished;
import io.kchat.events.SessionRoute;
import io.kchat.schemas.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router's offsets, with Kafka's mock clients: a batch counts as routed only when every copy is acknowledged,
 * a failed copy rewinds the batch, and routed offsets are committed after the commit interval, on revocation and on
 * stop, never before. Every step runs inside the router's own poll (scheduled poll tasks), so what a step sees is
 * exactly the state between two polls.
 */
class DeliveryRouterTest {

    private static final String DELIVERIES = "t.deliveries";
    private static final TopicPartition PARTITION = new TopicPartition(DELIVERIES, 0);
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(5);
    private static final AvroSerde<Delivery> SERDE = AvroSerde.of(Delivery.class);

    private final SteppedClock clock = new SteppedClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final PacedConsumer consumer = new PacedConsumer();
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private MockAdminClient admin;
    private DeliveryRouter router;
    private Thread loop;

    @BeforeEach
    void start() {
        Node broker = new Node(0, "localhost", 9092);
        admin = new MockAdminClient(List.of(broker), broker);
        admin.addTopic(false, "egress.node-a", List.of(new TopicPartitionInfo(0, broker, List.of(broker), List.of(broker))),
                Map.of());
        EgressTopics egress = new EgressTopics(admin, node -> "egress." + node, Duration.ofMinutes(1), clock);
        router = new DeliveryRouter(consumer, producer, egress, DELIVERIES, Duration.ofMillis(10), COMMIT_INTERVAL,
                clock, new DeliveryMetrics(new SimpleMeterRegistry()));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        });
    }

    @AfterEach
    void stop() throws InterruptedException {
        router.stop();
        loop.join(TimeUnit.SECONDS.toMillis(10));
        admin.close();
    }

    @Test
    void aBatchIsCommittedOnceEveryCopyIsAcknowledgedAndTheIntervalHasPassed() throws Exception {
        CompletableFuture<Map<String, Long>> seen = new CompletableFuture<>();
        Map<String, Long> steps = new LinkedHashMap<>();
        consumer.schedulePollTask(() -> addDeliveries(0, 3, "node-a"));
        consumer.schedulePollTask(() -> {
            steps.put("routed, interval not over", committedOffset());
            clock.advance(COMMIT_INTERVAL);
        });
        consumer.schedulePollTask(() -> {
            steps.put("interval over", committedOffset());
            seen.complete(steps);
        });
        run();
        acknowledge(3);

        Map<String, Long> result = seen.get(10, TimeUnit.SECONDS);
        assertNull(result.get("routed, interval not over"), "no commit per batch");
        assertEquals(3L, result.get("interval over"), "the offset after the batch");
        assertEquals(List.of("egress.node-a", "egress.node-a", "egress.node-a"), egressTopics());
    }

    @Test
    void aFailedCopyRewindsTheBatchAndNothingIsCommittedUntilItIsRoutedAgain() throws Exception {
        CompletableFuture<List<Object>> seen = new CompletableFuture<>();
        List<Object> steps = new ArrayList<>();
        consumer.schedulePollTask(() -> addDeliveries(0, 3, "node-a"));
        consumer.schedulePollTask(() -> {
            steps.add(consumer.position(PARTITION)); // rewound to the batch's first offset
            clock.advance(COMMIT_INTERVAL);
            steps.add(committedOffset()); // nothing routed, so nothing to commit even past the interval
            addDeliveries(0, 3, "node-a"); // the log gives the same records again
        });
        consumer.schedulePollTask(() -> clock.advance(COMMIT_INTERVAL));
        consumer.schedulePollTask(() -> {
            steps.add(committedOffset());
            seen.complete(steps);
        });
        run();
        waitForSends(3);
        producer.completeNext();
        producer.errorNext(new KafkaException("broker gone"));
        producer.completeNext();
        acknowledge(3);

        List<Object> result = seen.get(10, TimeUnit.SECONDS);
        assertEquals(0L, result.get(0));
        assertNull(result.get(1));
        assertEquals(3L, result.get(2));
        assertEquals(6, producer.history().size(), "at least once: the first attempt's copies are repeated");
    }

    @Test
    void revokedPartitionsTakeTheirRoutedOffsetsAlong() throws Exception {
        CompletableFuture<Long> seen = new CompletableFuture<>();
        consumer.schedulePollTask(() -> addDeliveries(0, 2, "node-a"));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of()); // the partition moves to another instance before the interval is over
            seen.complete(committedOffset());
        });
        run();
        acknowledge(2);

        assertEquals(2L, seen.get(10, TimeUnit.SECONDS));
    }

    @Test
    void stoppingCommitsWhatWasRoutedWithoutWaitingForTheInterval() throws Exception {
        CompletableFuture<Void> routed = new CompletableFuture<>();
        consumer.schedulePollTask(() -> addDeliveries(0, 4, "node-a"));
        consumer.schedulePollTask(() -> routed.complete(null));
        run();
        acknowledge(4);
        routed.get(10, TimeUnit.SECONDS);

        router.stop();
        loop.join(TimeUnit.SECONDS.toMillis(10));

        assertEquals(4L, consumer.lastCommitted(PARTITION));
    }

    @Test
    void aCopyForANodeWithoutEgressIsDroppedAndTheBatchStillCounts() throws Exception {
        CompletableFuture<Long> seen = new CompletableFuture<>();
        consumer.schedulePollTask(() -> {
            addDeliveries(0, 1, "node-gone");
            addDeliveries(1, 1, "node-a");
        });
        consumer.schedulePollTask(() -> clock.advance(COMMIT_INTERVAL));
        consumer.schedulePollTask(() -> seen.complete(committedOffset()));
        run();
        acknowledge(1);

        assertEquals(2L, seen.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("egress.node-a"), egressTopics(), "the gone node's copy stays in the user's log");
    }

    private void run() {
        loop = Thread.ofPlatform().name("router-under-test").start(router::run);
    }

    /** Records {@code from}, {@code from + 1}, ... of the deliveries partition, each routed to one session on {@code node}. */
    private void addDeliveries(long from, int count, String node) {
        for (long offset = from; offset < from + count; offset++) {
            Delivery delivery = new Delivery("u" + offset, List.of(new SessionRoute(node, "s" + offset)),
                    new ReplayFinished(offset + 1));
            consumer.addRecord(new ConsumerRecord<>(DELIVERIES, 0, offset, ("u" + offset).getBytes(),
                    SERDE.encode(delivery)));
        }
    }

    private Long committedOffset() {
        return consumer.lastCommitted(PARTITION);
    }

    private void waitForSends(int count) {
        soon().until(() -> producer.history().size() >= count);
    }

    /** Acknowledges the next {@code count} sends as the broker would, once the router made them. */
    private void acknowledge(int count) {
        for (int i = 0; i < count; i++) {
            soon().until(producer::completeNext); // false until there is a send to complete
        }
    }

    /** The router's steps take milliseconds: poll often, give up after ten seconds. */
    private static ConditionFactory soon() {
        return await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    private List<String> egressTopics() {
        return producer.history().stream().map(record -> record.topic()).toList();
    }

    /**
     * MockConsumer answers an empty poll at once; a real one waits, which keeps the router's loop from spinning. It
     * also remembers every commit, which the mock itself forgets for partitions it no longer holds.
     */
    private static final class PacedConsumer extends MockConsumer<byte[], byte[]> {

        private final Map<TopicPartition, OffsetAndMetadata> commits = new ConcurrentHashMap<>();

        PacedConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            super.commitSync(offsets);
            commits.putAll(offsets);
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                                             OffsetCommitCallback callback) {
            super.commitAsync(offsets, callback);
            commits.putAll(offsets);
        }

        /** The last offset committed for {@code partition}, null if none was. */
        Long lastCommitted(TopicPartition partition) {
            OffsetAndMetadata committed = commits.get(partition);
            return committed == null ? null : committed.offset();
        }

        @Override
        public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
            if (records.isEmpty()) {
                try {
                    wait(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return records;
        }
    }

    /** A clock the steps move on by hand. */
    private static final class SteppedClock extends Clock {

        private volatile Instant now;

        SteppedClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
