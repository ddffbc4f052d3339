package io.kchat.delivery;

import io.kchat.events.Delivery;
import io.kchat.events.SessionRoute;
import io.kchat.schemas.AvroSerde;
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
 * Thread-safe (the producer and {@link EgressTopics} are).
 */
final class EphemeralFanOut {

    private static final Logger log = LoggerFactory.getLogger(EphemeralFanOut.class);

    private final SessionDirectory directory;
    private final EgressTopics egressTopics;
    private final Producer<byte[], byte[]> producer;
    private final AvroSerde<Delivery> serde = AvroSerde.of(Delivery.class);

    EphemeralFanOut(SessionDirectory directory, EgressTopics egressTopics, Producer<byte[], byte[]> producer) {
        this.directory = directory;
        this.egressTopics = egressTopics;
        this.producer = producer;
    }

    /** Sends {@code item} to every open session of {@code userIds}; the number of deliveries sent. */
    int send(Set<String> userIds, Object item) throws SQLException {
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
                continue;
            }
            for (Map.Entry<String, List<SessionRoute>> user : node.getValue().entrySet()) {
                byte[] key = user.getKey().getBytes(StandardCharsets.UTF_8);
                byte[] value = serde.encode(new Delivery(user.getKey(), user.getValue(), item));
                producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                    if (error != null) {
                        log.debug("ephemeral item to {} lost", topic, error);
                    }
                });
                sent++;
            }
        }
        return sent;
    }
}
