package io.kchat.processor;

import io.kchat.events.InboundCommand;
import io.kchat.events.StreamTick;
import io.kchat.events.UserCommand;
import io.kchat.processor.streams.IdleTicks;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link IdleTicks} of both input topics through one plain producer of its own (not the tasks' transactional
 * ones: a tick is input, not output). Sends without waiting: a tick lost is asked for again a period later.
 * Thread-safe, as the producer.
 */
final class InputTicks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InputTicks.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** Not a command any client sent: a tick has no id of its own. */
    private static final String TICK_COMMAND_ID = "stream-tick";

    private final Producer<byte[], byte[]> producer;
    private final IdleTicks inbound;
    private final IdleTicks userInbound;

    InputTicks(Producer<byte[], byte[]> producer, TopicCatalogue topics) {
        this.producer = producer;
        Topic<String, InboundCommand> inboundTopic = topics.inbound();
        Topic<String, UserCommand> userInboundTopic = topics.userInbound();
        this.inbound = ticksTo(inboundTopic,
                at -> new InboundCommand(TICK_COMMAND_ID, Instant.ofEpochMilli(at), new StreamTick(Instant.ofEpochMilli(at))));
        this.userInbound = ticksTo(userInboundTopic, at -> new UserCommand(new StreamTick(Instant.ofEpochMilli(at))));
    }

    static InputTicks create(String bootstrapServers, String clientId, TopicCatalogue topics) {
        return new InputTicks(new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0,
                // the stream thread calls send: never let it wait long for metadata
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000),
                new ByteArraySerializer(), new ByteArraySerializer()), topics);
    }

    /** Ticks to chat.inbound, whose conversation side holds receipts. */
    IdleTicks inbound() {
        return inbound;
    }

    /** Ticks to chat.user-inbound, whose user side holds delivered frontiers. */
    IdleTicks userInbound() {
        return userInbound;
    }

    private <V> IdleTicks ticksTo(Topic<String, V> topic, LongFunction<V> tick) {
        String name = topic.name();
        return (partition, at) -> {
            log.debug("stream time of {}-{} stood still with items held: tick at {}", name, partition, at);
            byte[] value = topic.valueSerde().serializer().serialize(name, tick.apply(at));
            producer.send(new ProducerRecord<>(name, partition, at, null, value), (metadata, error) -> {
                if (error != null) {
                    log.warn("tick to {}-{} not written; asked for again a period later", name, partition, error);
                }
            });
        };
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}
