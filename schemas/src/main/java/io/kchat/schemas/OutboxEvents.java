package io.kchat.schemas;

import java.util.Optional;

/**
 * The outbox's {@code event_type} values (D1) and the topic each is relayed to: the row's payload is the record value
 * as the gateway published it (Avro, single-object encoding), its {@code aggregate_id} the record key. A contract
 * between the gateway, which writes the rows, and the processor's CDC relay, which reads them.
 */
public final class OutboxEvents {

    /** An {@code InboundCommand} keyed by conversation: to chat.inbound. */
    public static final String INBOUND_COMMAND = "InboundCommand";
    /** A {@code UserCommand} keyed by user (a contact change, for one of the users concerned): to chat.user-inbound. */
    public static final String USER_COMMAND = "UserCommand";

    private OutboxEvents() {
    }

    /** The topic a row of {@code eventType} goes to; empty for a type this version does not know. */
    public static Optional<String> topicOf(String eventType, TopicCatalogue topics) {
        return switch (eventType) {
            case INBOUND_COMMAND -> Optional.of(topics.inbound().name());
            case USER_COMMAND -> Optional.of(topics.userInbound().name());
            case null, default -> Optional.empty();
        };
    }
}
