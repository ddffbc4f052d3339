package io.kchat.delivery.routing;

import io.kchat.delivery.metrics.DeliveryMetrics;
import io.kchat.events.Delivery;
import io.kchat.events.PresenceChanged;
import io.kchat.events.SessionRoute;
import io.kchat.events.Typing;
import io.kchat.observability.Correlation;
import io.kchat.schemas.AvroSerde;
import io.kchat.schemas.EgressTopics;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an ephemeral item (typing, presence) to the sessions open now of some users: one {@link Delivery}
 * per user and node, naming that user's sessions on that node, to that node's egress (D5). Nodes without
 * an egress topic are skipped. Fire and forget: never stored, never queued, never retried (D10).
 * Thread-safe (the producer and {@link EgressTopics} are). The deliveries carry the correlation id of the caller's
 * thread, i.e. of the notice being relayed.
 */
public final class EphemeralFanOut {

    private static final Logger log = LoggerFactory.getLogger(EphemeralFanOut.class);

    private final SessionDirectory directory;
    private final EgressTopics egressTopics;
    private final Producer<byte[], byte[]> producer;
    private final DeliveryMetrics metrics;
    private final AvroSerde<Delivery> serde = AvroSerde.of(Delivery.class);

    public EphemeralFanOut(SessionDirectory directory, EgressTopics egressTopics, Producer<byte[], byte[]> producer,
                           DeliveryMetrics metrics) {
        this.directory = directory;
        this.egressTopics = egressTopics;
        this.producer = producer;
        this.metrics = metrics;
    }

    /** Sends {@code item} to every open session of {@code userIds}; the number of deliveries sent. */
    public int send(Set<String> userIds, Object item) throws SQLException {
        if (userIds.isEmpty()) {
            return 0;
        }
        int sent = 0;
        Map<String, Map<String, List<SessionRoute>>> sessionsByNode = directory.openSessionsByNode(userIds);
        for (Map.Entry<String, Map<String, List<SessionRoute>>> node : sessionsByNode.entrySet()) {
            String topic = egressTopics.topicOf(node.getKey());
            if (topic == null) {
                log.debug("not sending {} to node {}: no egress topic (node gone)", item.getClass().getSimpleName(),
                        node.getKey());
                metrics.dropped(DeliveryMetrics.NODE_GONE);
                continue;
            }
            for (Map.Entry<String, List<SessionRoute>> user : node.getValue().entrySet()) {
                byte[] key = user.getKey().getBytes(StandardCharsets.UTF_8);
                byte[] value = serde.encode(new Delivery(user.getKey(), user.getValue(), item));
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key, value);
                String correlation = Correlation.current();
                if (correlation != null) {
                    Correlation.put(record.headers(), correlation);
                }
                producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        log.debug("ephemeral item to {} lost", topic, error);
                    }
                });
                sent++;
            }
        }
        metrics.ephemeral(kind(item), sent);
        return sent;
    }

    private static String kind(Object item) {
        return switch (item) {
            case Typing ignored -> "typing";
            case PresenceChanged ignored -> "presence";
            default -> "other";
        };
    }
}
