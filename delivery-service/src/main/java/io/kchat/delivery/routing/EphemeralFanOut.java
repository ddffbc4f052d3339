package io.kchat.delivery.routing;

import io.kchat.delivery.metrics.DeliveryMetrics;
import io.kchat.events.AssistantStream;
import io.kchat.events.Delivery;
import io.kchat.events.PresenceChanged;
import io.kchat.events.SessionRoute;
import io.kchat.events.Typing;
import io.kchat.observability.Correlation;
import io.kchat.schemas.AvroSerde;
import io.kchat.schemas.EgressTopics;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an ephemeral item (typing, presence, a part of the assistant's answer) to the sessions open now of some users: one {@link Delivery}
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

    /** An item for the open sessions of one user, sent under the correlation id of the record it came from. */
    public record Addressed(String userId, Object item, String correlation) {
    }

    /** Sends {@code item} to every open session of {@code userIds}; the number of deliveries sent. */
    public int send(Set<String> userIds, Object item) throws SQLException {
        if (userIds.isEmpty()) {
            return 0;
        }
        int sent = 0;
        Map<String, Map<String, List<SessionRoute>>> sessionsByNode = directory.openSessionsByNode(userIds);
        for (Map.Entry<String, Map<String, List<SessionRoute>>> node : sessionsByNode.entrySet()) {
            String topic = topicOf(node.getKey(), item);
            if (topic == null) {
                continue;
            }
            for (Map.Entry<String, List<SessionRoute>> user : node.getValue().entrySet()) {
                produce(topic, user.getKey(), user.getValue(), item);
                sent++;
            }
        }
        metrics.ephemeral(kind(item), sent);
        return sent;
    }

    /**
     * Sends each item to the open sessions of its user, in the list's order, looking the sessions up once for all of
     * them: for a stream whose every item counts and whose order does (the deliveries of one user go to one partition
     * of each node's egress, keyed by the user, through one idempotent producer). The number of deliveries sent.
     */
    public int sendInOrder(List<Addressed> items) throws SQLException {
        if (items.isEmpty()) {
            return 0;
        }
        Set<String> userIds = new HashSet<>();
        items.forEach(item -> userIds.add(item.userId()));
        Map<String, Map<String, List<SessionRoute>>> sessionsByUser = byUser(directory.openSessionsByNode(userIds));
        int sent = 0;
        for (Addressed addressed : items) {
            int sentOfItem = 0;
            try (Correlation.Scope ignored = Correlation.open(addressed.correlation())) {
                for (Map.Entry<String, List<SessionRoute>> node
                        : sessionsByUser.getOrDefault(addressed.userId(), Map.of()).entrySet()) {
                    String topic = topicOf(node.getKey(), addressed.item());
                    if (topic != null) {
                        produce(topic, addressed.userId(), node.getValue(), addressed.item());
                        sentOfItem++;
                    }
                }
            }
            metrics.ephemeral(kind(addressed.item()), sentOfItem);
            sent += sentOfItem;
        }
        return sent;
    }

    /** User id to node id to that user's sessions on that node. */
    private static Map<String, Map<String, List<SessionRoute>>> byUser(
            Map<String, Map<String, List<SessionRoute>>> sessionsByNode) {
        Map<String, Map<String, List<SessionRoute>>> byUser = new HashMap<>();
        sessionsByNode.forEach((node, users) -> users.forEach((user, sessions) ->
                byUser.computeIfAbsent(user, u -> new LinkedHashMap<>()).put(node, sessions)));
        return byUser;
    }

    /** The node's egress topic, or null (counted as a drop) when the node has none any more. */
    private String topicOf(String nodeId, Object item) {
        String topic = egressTopics.topicOf(nodeId);
        if (topic == null) {
            log.debug("not sending {} to node {}: no egress topic (node gone)", item.getClass().getSimpleName(), nodeId);
            metrics.dropped(DeliveryMetrics.NODE_GONE);
        }
        return topic;
    }

    private void produce(String topic, String userId, List<SessionRoute> sessions, Object item) {
        byte[] key = userId.getBytes(StandardCharsets.UTF_8);
        byte[] value = serde.encode(new Delivery(userId, sessions, item));
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
    }

    private static String kind(Object item) {
        return switch (item) {
            case Typing ignored -> "typing";
            case PresenceChanged ignored -> "presence";
            case AssistantStream ignored -> "assistant_stream";
            default -> "other";
        };
    }
}
