package io.kchat.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.kchat.processor.errors.DeadLetterDeserializationHandler;
import io.kchat.processor.errors.PoisonRecordPolicy;
import io.kchat.processor.errors.RetryThenDeadLetterHandler;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** What the stream threads' clients get, read back through Kafka Streams' own config (which validates it). */
class StreamsSettingsTest {

    @Test
    void theDefaultsReachTheConsumersAndTheProducer() {
        StreamsConfig streams = new StreamsConfig(StreamsSettings.toProperties(ProcessorConfig.fromEnv(Map.of())));

        Map<String, Object> consumer = streams.getMainConsumerConfigs("kchat-processor", "c", 0);
        assertEquals(10_000, consumer.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
        assertEquals(2_000, consumer.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG));
        assertEquals(10_000, streams.getProducerConfigs("p").get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
        assertEquals(1000L, streams.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        assertEquals(10, consumer.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG));
        assertEquals(1, streams.getProducerConfigs("p").get(ProducerConfig.LINGER_MS_CONFIG));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, streams.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        // Streams' own choice under exactly-once; LiveClientSupplier reads the main consumer's inputs uncommitted (D3)
        assertEquals("read_committed", consumer.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
    }

    @Test
    void poisonRecordsGoToThePrefixedDeadLetterTopicThroughHandlersThatShareOnePolicy() {
        Properties props = StreamsSettings.toProperties(ProcessorConfig.fromEnv(Map.of(
                "CHAT_TOPIC_PREFIX", "t1-", "PROCESSOR_MAX_RECORD_ATTEMPTS", "4")));
        StreamsConfig streams = new StreamsConfig(props);

        assertEquals("t1-chat.processor-dead-letters",
                streams.getString(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG));
        // each is configured as Kafka Streams configures it: from the same config, sharing its policy
        assertInstanceOf(RetryThenDeadLetterHandler.class, streams.processingExceptionHandler());
        assertInstanceOf(DeadLetterDeserializationHandler.class, streams.deserializationExceptionHandler());
        assertEquals("PoisonRecordPolicy[maxAttempts=4]", props.get(PoisonRecordPolicy.CONFIG).toString());
        assertNotSame(props.get(PoisonRecordPolicy.CONFIG),
                StreamsSettings.toProperties(ProcessorConfig.fromEnv(Map.of())).get(PoisonRecordPolicy.CONFIG),
                "one policy per application instance");
    }

    @Test
    void theTimeoutsSetInTheEnvironmentReachTheConsumersAndTheProducer() {
        ProcessorConfig config = ProcessorConfig.fromEnv(Map.of(
                "PROCESSOR_SESSION_TIMEOUT", "6s",
                "PROCESSOR_HEARTBEAT_INTERVAL", "1s",
                "PROCESSOR_TRANSACTION_TIMEOUT", "1m",
                "PROCESSOR_COMMIT_INTERVAL", "250ms",
                "PROCESSOR_FETCH_MAX_WAIT", "50ms",
                "KAFKA_LINGER", "0ms"));
        StreamsConfig streams = new StreamsConfig(StreamsSettings.toProperties(config));

        Map<String, Object> consumer = streams.getMainConsumerConfigs("kchat-processor", "c", 0);
        assertEquals(6_000, consumer.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
        assertEquals(1_000, consumer.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG));
        assertEquals(6_000, streams.getRestoreConsumerConfigs("r").get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
        assertEquals(60_000, streams.getProducerConfigs("p").get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
        assertEquals(250L, streams.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        assertEquals(50, consumer.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG));
        assertEquals(0, streams.getProducerConfigs("p").get(ProducerConfig.LINGER_MS_CONFIG));
    }
}
