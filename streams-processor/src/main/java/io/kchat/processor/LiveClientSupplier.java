package io.kchat.processor;

import io.kchat.processor.headers.Origin;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * The processor's Kafka clients, as Kafka Streams would make them, except that the stream threads' main
 * consumer reads uncommitted (D3). Under exactly_once_v2 Streams forces {@code read_committed} on it and
 * ignores a user setting, which made every message wait for the transaction that wrote it to
 * {@code chat.user-inbound} to commit: the commit interval and the commit itself were on the live path.
 *
 * <p>Why this is safe here, and not in Kafka Streams in general: the processor is deterministic (D2), so a
 * record of an aborted transaction is written again, identically, by the replay; the user side drops the
 * repeat by its {@link Origin}, and the conversation side's only transactional input (a user's delivered
 * frontier) is idempotent. Each side's own state, output and input offsets stay in one transaction, and the
 * log a side replays after its own abort is the same log it read the first time, so its replay repeats
 * too. The restore and global consumers keep {@code read_committed}: state is rebuilt from committed
 * changelogs only.
 */
public final class LiveClientSupplier implements KafkaClientSupplier {

    private final AtomicInteger mainConsumers = new AtomicInteger();

    @Override
    public Admin getAdmin(Map<String, Object> config) {
        return Admin.create(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        mainConsumers.incrementAndGet();
        return consumer(mainConsumerConfig(config));
    }

    /**
     * Refuses a running application whose stream threads did not get their main consumer here: Kafka Streams builds
     * its own under the streams group protocol (KIP-1071), which would silently read committed again and put the
     * commit interval back on the live path (D3). StreamsSettings asks for the classic protocol; this checks it held.
     */
    void requireMainConsumers(int streamThreads) {
        int built = mainConsumers.get();
        if (built < streamThreads) {
            throw new IllegalStateException("Kafka Streams built " + (streamThreads - built) + " of its "
                    + streamThreads + " main consumers without the processor's client supplier: they would read "
                    + "committed, and every message would wait for the commit interval (D3). Is group.protocol "
                    + "set to something other than classic?");
        }
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return consumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return consumer(config);
    }

    private static Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The main consumer's config: what Streams computed, reading uncommitted. */
    static Map<String, Object> mainConsumerConfig(Map<String, Object> streamsComputed) {
        Map<String, Object> config = new HashMap<>(streamsComputed);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        return config;
    }
}
