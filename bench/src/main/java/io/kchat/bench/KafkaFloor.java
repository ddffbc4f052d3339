package io.kchat.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What Kafka alone costs on our path: the same open-loop schedule through a raw chain with as many produce→consume
 * legs as the live path ({@link FloorLegs}: client → gateway → chat.inbound → conversation side →
 * chat.user-inbound → user side → chat.egress.node → gateway → socket), the same partition counts, the same
 * producer settings and the same fan-out (one record per member, sender included, from the second leg on), on the
 * stack's own broker. Nothing else: no state, no transactions, no sockets. Our latency divided by this one is our
 * overhead.
 */
final class KafkaFloor {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_DELAY = Duration.ofMillis(200);
    private static final Duration SETTLE_POLL = Duration.ofMillis(50);

    private final String bootstrapServers;
    private final short replicationFactor;
    private final int conversations;
    private final int groupSize;
    private final int recordBytes;
    private final int lingerMs;
    private final FloorLegs legs;

    KafkaFloor(String bootstrapServers, short replicationFactor, int conversations, int groupSize, int recordBytes,
               int lingerMs, FloorLegs legs) {
        this.legs = legs;
        this.bootstrapServers = bootstrapServers;
        this.replicationFactor = replicationFactor;
        this.conversations = conversations;
        this.groupSize = groupSize;
        this.recordBytes = recordBytes;
        this.lingerMs = lingerMs;
    }

    LoadResult run(double rate, Duration warmup, Duration measured, Duration drain) throws Exception {
        String base = "bench-floor-" + UUID.randomUUID().toString().substring(0, 8) + "-leg";
        List<String> topics = new ArrayList<>();
        for (int leg = 1; leg <= legs.count(); leg++) {
            topics.add(base + leg);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<NewTopic> created = new ArrayList<>();
            for (int leg = 0; leg < legs.count(); leg++) {
                created.add(new NewTopic(topics.get(leg), legs.partitions(leg), replicationFactor));
            }
            admin.createTopics(created).all().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            try {
                return runOn(topics, rate, warmup, measured, drain);
            } finally {
                admin.deleteTopics(topics).all().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    private LoadResult runOn(List<String> topics, double rate, Duration warmup, Duration measured, Duration drain)
            throws Exception {
        List<Producer<byte[], byte[]>> producers = new ArrayList<>();
        for (int leg = 1; leg <= legs.count(); leg++) {
            producers.add(new KafkaProducer<>(FloorClients.producer(bootstrapServers, "bench-floor-producer-" + leg,
                    lingerMs)));
        }
        List<FloorStage> stages = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            // the schedule starts once every stage reads, so the ledger is handed to the last one then
            Recipients recipients = new Recipients();
            int last = legs.count() - 1;
            stages.add(stage(topics, 0, r -> fanOut(r, producers.get(1), topics.get(1))));
            for (int leg = 1; leg < last; leg++) {
                Producer<byte[], byte[]> next = producers.get(leg + 1);
                String nextTopic = topics.get(leg + 1);
                stages.add(stage(topics, leg, r -> relay(r, next, nextTopic)));
            }
            stages.add(stage(topics, last, recipients::receive));
            for (int i = 0; i < stages.size(); i++) {
                threads.add(Thread.ofPlatform().name("floor-leg-" + (i + 1)).start(stages.get(i)));
            }
            for (FloorStage stage : stages) {
                if (!stage.awaitAssigned()) {
                    throw new IllegalStateException("a floor stage did not start", stage.failure());
                }
            }
            OpenLoopSchedule schedule = new OpenLoopSchedule(System.nanoTime() + START_DELAY.toNanos(), rate, warmup, measured);
            MessageLedger ledger = new MessageLedger(schedule, groupSize - 1);
            recipients.ledger = ledger;
            Producer<byte[], byte[]> first = producers.getFirst();
            new Pacer(NanoClock.SYSTEM).run(schedule, (i, intended, actual) -> {
                ledger.sent(i, intended, actual);
                first.send(new ProducerRecord<>(topics.getFirst(), conversationKey(i),
                        new FloorRecord(i, FloorRecord.BEFORE_FAN_OUT).encode(recordBytes)), (metadata, e) -> {
                            if (e == null) {
                                ledger.ok(i, System.nanoTime());
                            } else {
                                ledger.refused(i);
                            }
                        });
            });
            long deadline = System.nanoTime() + drain.toNanos();
            while (!ledger.settled() && System.nanoTime() < deadline) {
                Thread.sleep(SETTLE_POLL);
            }
            for (FloorStage stage : stages) {
                if (stage.failure() != null) {
                    throw new IllegalStateException("a floor stage failed", stage.failure());
                }
            }
            return ledger.result("Kafka floor (" + legs.count() + " legs)");
        } finally {
            stages.forEach(FloorStage::stop);
            for (Thread thread : threads) {
                thread.join(ADMIN_TIMEOUT.toMillis());
            }
            producers.forEach(Producer::close);
        }
    }

    private FloorStage stage(List<String> topics, int leg, Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        String clientId = "bench-floor-consumer-" + (leg + 1);
        return new FloorStage(new KafkaConsumer<>(FloorClients.consumer(bootstrapServers, clientId)),
                topics.get(leg), legs.partitions(leg), handler);
    }

    /** Like the user side and the router: the record goes on unchanged, under its key. */
    private static void relay(ConsumerRecord<byte[], byte[]> record, Producer<byte[], byte[]> producer, String topic) {
        producer.send(new ProducerRecord<>(topic, record.key(), record.value()));
    }

    /** Like the conversation side: one record per member, keyed by the member, so that it lands on their partition. */
    private void fanOut(ConsumerRecord<byte[], byte[]> record, Producer<byte[], byte[]> producer, String topic) {
        int conversation = FloorRecord.decode(record.value()).index() % conversations;
        for (int member = 0; member < groupSize; member++) {
            producer.send(new ProducerRecord<>(topic, userKey(conversation, member),
                    FloorRecord.forMember(record.value(), member)));
        }
    }

    private byte[] conversationKey(int index) {
        return ("c" + (index % conversations)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] userKey(int conversation, int member) {
        return ("u" + conversation + "-" + member).getBytes(StandardCharsets.UTF_8);
    }

    /** The last leg's reader: the recipients, each with its own duplicate and order check. Confined to its thread. */
    private final class Recipients {
        private volatile MessageLedger ledger;
        private final Map<Integer, RecipientLedger> recipients = new HashMap<>();

        void receive(ConsumerRecord<byte[], byte[]> record) {
            MessageLedger current = ledger;
            FloorRecord floor = FloorRecord.decode(record.value());
            if (current == null || !current.knows(floor.index())) {
                return;
            }
            int conversation = floor.index() % conversations;
            int sender = (floor.index() / conversations) % groupSize;
            long seq = floor.index() / conversations + 1L;
            RecipientLedger.Verdict verdict = recipients
                    .computeIfAbsent(conversation * groupSize + floor.member(), k -> new RecipientLedger())
                    .accept("c" + conversation, seq, RecipientLedger.NO_USER_SEQ);
            long now = System.nanoTime();
            if (floor.member() == sender) {
                current.echoed(floor.index(), now, verdict);
            } else {
                current.delivered(floor.index(), now, verdict);
            }
        }
    }
}
