package io.kchat.processor;

import io.kchat.processor.errors.DeadLetterDeserializationHandler;
import io.kchat.processor.errors.DeadLetterMetrics;
import io.kchat.processor.errors.PoisonRecordPolicy;
import io.kchat.processor.errors.RetryThenDeadLetterHandler;
import io.kchat.schemas.TopicCatalogue;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams properties of the processor, derived from its config in one place. */
public final class StreamsSettings {

    /** Shared by the stream threads; a state record is well under 1 KiB, so this holds every hot key. */
    static final long STORE_CACHE_BYTES = 16L * 1024 * 1024;

    private StreamsSettings() {
    }

    public static Properties toProperties(ProcessorConfig config) {
        return toProperties(config, DeadLetterMetrics.NONE);
    }

    /**
     * With the records set aside counted into {@code deadLetters}. Each call makes a new {@link PoisonRecordPolicy}:
     * one per {@code KafkaStreams}, whose tasks' handlers share its attempt counts.
     */
    public static Properties toProperties(ProcessorConfig config, DeadLetterMetrics deadLetters) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // the streams protocol (KIP-1071) builds the main consumer itself, past LiveClientSupplier: see D3 there
        props.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.threads());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.replicationFactor());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        // Poison records: one that cannot be decoded, or whose processing threw on each of its attempts, is logged
        // with topic/partition/offset, written to the dead-letter topic and skipped rather than stopping its partition.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, RetryThenDeadLetterHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
                new TopicCatalogue(config.topicPrefix()).processorDeadLetters().name());
        props.put(PoisonRecordPolicy.CONFIG, new PoisonRecordPolicy(config.maxRecordAttempts(), deadLetters));
        // D3: the live path reads our output uncommitted, so the producer holds records back only briefly; Streams'
        // own default is 100 ms.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), (int) config.linger().toMillis());
        ProcessorConfig.Timeouts timeouts = config.timeouts();
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) timeouts.transaction().toMillis());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                (int) timeouts.session().toMillis());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                (int) timeouts.heartbeat().toMillis());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG),
                (int) config.fetchMaxWait().toMillis());
        // The record cache of the stores that enable it (the per-key state stores): a key rewritten many times
        // between commits reaches its changelog once, at the commit. It never holds output back: the processors
        // forward explicitly (Processor API), and no DSL table forwards through a cache (D3).
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, STORE_CACHE_BYTES);
        return props;
    }
}
