package io.kchat.gateway.ws;

import io.kchat.events.ChatMessage;
import io.kchat.events.ConversationEvent;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.LoggedEvent;
import io.kchat.events.SendRefused;
import java.util.Locale;

/** Renders an event of a user's log as the frame a client sees (API.md, server to client). */
final class EventFrames {

    private EventFrames() {
    }

    static ServerFrame render(LoggedEvent logged) {
        long userSeq = logged.getUserSeq();
        return switch (logged.getEvent().getPayload()) {
            case ChatMessage m -> new ServerFrame.Message(userSeq, m.getConversationId(), m.getSeq(),
                    m.getMessageId(), m.getClientId(), m.getSenderId(), m.getBody(), m.getTs());
            case SendRefused r -> new ServerFrame.Error(null, userSeq, r.getClientId(), r.getConversationId(),
                    r.getCode(), r.getMessage());
            case ConversationEvent c -> new ServerFrame.Conversation(userSeq, lower(c.getKind()),
                    conversation(c.getConversation()));
            default -> throw new IllegalArgumentException(
                    "unknown user event payload " + logged.getEvent().getPayload().getClass().getName());
        };
    }

    private static ServerFrame.ConversationView conversation(ConversationSnapshot snapshot) {
        return new ServerFrame.ConversationView(snapshot.getConversationId(), lower(snapshot.getType()),
                snapshot.getTitle(),
                snapshot.getMembers().stream()
                        .map(m -> new ServerFrame.MemberView(m.getUserId(), lower(m.getRole())))
                        .toList());
    }

    /** Avro enum constants are the API's words in upper case (CREATED, MEMBER_ADDED, GROUP, OWNER...). */
    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
