package io.kchat.bench;

import io.kchat.settings.ProducerLinger;
import io.kchat.settings.Settings;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Client settings of the Kafka floor, mirroring the live path: the producer is the gateway's and the
 * delivery-service's ({@code GatewayProducer}, {@code DeliveryConfig#producerProperties}: acks=all, idempotent,
 * the stack's {@code KAFKA_LINGER}, same timeouts); consumers read uncommitted like the router and the gateway's egress consumer, with the
 * client defaults for fetching (fetch.min.bytes 1, fetch.max.wait.ms 500) that the services keep too. Kept in step
 * by hand: the bench does not depend on the services.
 */
final class FloorClients {

    static final String CONSUMER_SUMMARY = "isolation.level=read_uncommitted, assigned partitions, no group, "
            + "fetch defaults (as the router and the gateway's egress consumer)";

    private FloorClients() {
    }

    static String producerSummary(int lingerMs) {
        return "acks=all, enable.idempotence=true, linger.ms=" + lingerMs + ", delivery.timeout.ms=30000, "
                + "request.timeout.ms=10000 (as GatewayProducer and the delivery-service's producer)";
    }

    /**
     * KAFKA_LINGER as the services read it: the floor batches as the live path does. The bench runs in the stack's
     * environment, so a value set there applies here.
     */
    static int lingerMs(Map<String, String> env) {
        return (int) ProducerLinger.from(Settings.of(env)).toMillis();
    }

    static Map<String, Object> producer(String bootstrapServers, String clientId, int lingerMs) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, lingerMs,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    }

    static Map<String, Object> consumer(String bootstrapServers, String clientId) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    }
}
