package io.kchat.processor;

import io.kchat.events.StreamTick;
import io.kchat.events.UserCommand;
import io.kchat.processor.user.IdleTicks;
import io.kchat.schemas.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link IdleTicks} through a plain producer of its own (not the tasks' transactional ones: a tick is input, not
 * output). Sends without waiting: a tick lost is asked for again an interval later. Thread-safe, as the producer.
 */
final class UserInboundTicks implements IdleTicks, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UserInboundTicks.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Producer<String, UserCommand> producer;
    private final String topic;

    UserInboundTicks(Producer<String, UserCommand> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    static UserInboundTicks create(String bootstrapServers, String clientId, Topic<String, UserCommand> userInbound) {
        return new UserInboundTicks(new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0,
                // the stream thread calls send: never let it wait long for metadata
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000),
                userInbound.keySerde().serializer(), userInbound.valueSerde().serializer()), userInbound.name());
    }

    @Override
    public void tick(int partition, long at) {
        log.debug("stream time of {}-{} stood still with frontiers held: tick at {}", topic, partition, at);
        producer.send(new ProducerRecord<>(topic, partition, at, null,
                new UserCommand(new StreamTick(Instant.ofEpochMilli(at)))), (metadata, error) -> {
                    if (error != null) {
                        log.warn("tick to {}-{} not written; asked for again an interval later", topic, partition, error);
                    }
                });
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}
