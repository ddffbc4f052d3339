package io.kchat.gateway.kafka;

import io.kchat.settings.ProducerLinger;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The gateway's one producer: durable (acks=all, idempotent), holding a record back for a batch only briefly. */
public final class GatewayProducer {

    private GatewayProducer() {
    }

    public static Producer<byte[], byte[]> create(String bootstrapServers, String clientId) {
        return create(bootstrapServers, clientId, ProducerLinger.DEFAULT);
    }

    public static Producer<byte[], byte[]> create(String bootstrapServers, String clientId, Duration linger) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000),
                new ByteArraySerializer(), new ByteArraySerializer());
    }
}
