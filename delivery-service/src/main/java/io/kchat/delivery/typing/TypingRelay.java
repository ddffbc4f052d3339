package io.kchat.delivery.typing;

import io.kchat.delivery.loop.ConsumerLoop;
import io.kchat.delivery.loop.RecordDecoder;
import io.kchat.delivery.routing.EphemeralFanOut;
import io.kchat.delivery.routing.SessionDirectory;
import io.kchat.events.Typing;
import io.kchat.observability.Correlation;
import io.kchat.schemas.AvroSerde;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays chat.typing to the open sessions of the conversation's other members (D10). A notice older than
 * {@code maxAge} by its {@code at} is dropped: after a lag, "is typing" would be a lie. Within a batch only
 * a member's last notice per conversation counts. Nothing is retried.
 */
public final class TypingRelay implements ConsumerLoop.BatchHandler {

    private static final Logger log = LoggerFactory.getLogger(TypingRelay.class);

    private record Typist(String conversationId, String userId) {
    }

    /** A notice and the correlation id of its record. */
    private record Notice(Typing typing, String correlation) {
    }

    private final SessionDirectory directory;
    private final EphemeralFanOut fanOut;
    private final Duration maxAge;
    private final Clock clock;
    private final AvroSerde<Typing> serde = AvroSerde.of(Typing.class);

    public TypingRelay(SessionDirectory directory, EphemeralFanOut fanOut, Duration maxAge, Clock clock) {
        this.directory = directory;
        this.fanOut = fanOut;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    @Override
    public void handle(ConsumerRecords<byte[], byte[]> records) {
        Instant oldestFresh = clock.instant().minus(maxAge);
        Map<Typist, Notice> latest = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Typing typing = RecordDecoder.decode(serde, record);
            if (typing == null) {
                continue;
            }
            if (typing.getAt().isBefore(oldestFresh)) {
                log.debug("dropping typing of {} in {} from {}: stale", typing.getUserId(),
                        typing.getConversationId(), typing.getAt());
                continue;
            }
            latest.put(new Typist(typing.getConversationId(), typing.getUserId()),
                    new Notice(typing, Correlation.of(record.headers())));
        }
        latest.values().forEach(this::relay);
    }

    private void relay(Notice notice) {
        Typing typing = notice.typing();
        try (Correlation.Scope ignored = Correlation.open(notice.correlation())) {
            fanOut.send(directory.otherMembers(typing.getConversationId(), typing.getUserId()), typing);
        } catch (SQLException | KafkaException e) {
            log.warn("typing of {} in {} not relayed: {}", typing.getUserId(), typing.getConversationId(),
                    e.getMessage());
        }
    }
}
