package io.kchat.delivery.assistant;

import io.kchat.delivery.loop.ConsumerLoop;
import io.kchat.delivery.loop.RecordDecoder;
import io.kchat.delivery.routing.EphemeralFanOut;
import io.kchat.events.AssistantStream;
import io.kchat.observability.Correlation;
import io.kchat.schemas.AvroSerde;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays chat.assistant-stream, the parts of the assistant's answers as the worker writes them, to the open sessions of
 * the person who asked ({@code userId}) only (D10, D15). Unlike typing, every part counts: none is coalesced and they go
 * out in the order read (a conversation's parts share a partition; see {@link EphemeralFanOut#sendInOrder}). A part
 * older than {@code maxAge} by its {@code at} is dropped, since the answer's message may be there before it; the client
 * ignores a part that does not fit, so a gap costs only the rest of that stream. A {@code done} always passes: it only
 * ends a stream. Nothing is retried, nothing stored.
 */
public final class AssistantStreamRelay implements ConsumerLoop.BatchHandler {

    /**
     * How far behind the relay may be before it drops parts: a lag that long is a relay that was down or stuck, and the
     * worker posts the answer itself through the durable path, which overtakes stale parts. Well within the topic's
     * one-minute retention; generous beside typing's seconds, as an answer a person waits for is worth a late part.
     */
    public static final Duration MAX_AGE = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(AssistantStreamRelay.class);

    private final EphemeralFanOut fanOut;
    private final Duration maxAge;
    private final Clock clock;
    private final AvroSerde<AssistantStream> serde = AvroSerde.of(AssistantStream.class);

    public AssistantStreamRelay(EphemeralFanOut fanOut, Duration maxAge, Clock clock) {
        this.fanOut = fanOut;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    @Override
    public void handle(ConsumerRecords<byte[], byte[]> records) {
        Instant oldestFresh = clock.instant().minus(maxAge);
        List<EphemeralFanOut.Addressed> parts = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            AssistantStream part = RecordDecoder.decode(serde, record);
            if (part == null) {
                continue;
            }
            if (!part.getDone() && part.getAt().isBefore(oldestFresh)) {
                log.debug("dropping a part of the answer to {}#{} from {}: stale", part.getConversationId(),
                        part.getReplyTo(), part.getAt());
                continue;
            }
            parts.add(new EphemeralFanOut.Addressed(part.getUserId(), part, Correlation.of(record.headers())));
        }
        try {
            fanOut.sendInOrder(parts);
        } catch (SQLException | KafkaException e) {
            // the parts before the failure went out; the client ignores the ones after the gap
            log.warn("parts of assistant answers not relayed (of {} in the batch): {}", parts.size(), e.getMessage());
        }
    }
}
