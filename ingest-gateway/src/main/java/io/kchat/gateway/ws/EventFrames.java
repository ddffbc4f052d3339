package io.kchat.gateway.ws;

import io.kchat.events.AssistantStream;
import io.kchat.events.ChatMessage;
import io.kchat.events.Ciphertext;
import io.kchat.events.ContactChanged;
import io.kchat.events.ContactRequestView;
import io.kchat.events.ContactView;
import io.kchat.events.ConversationEvent;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.KeysChanged;
import io.kchat.events.LoggedEvent;
import io.kchat.events.MessageUpdate;
import io.kchat.events.MessageUpdateKind;
import io.kchat.events.PresenceChanged;
import io.kchat.events.Receipt;
import io.kchat.events.SendRefused;
import io.kchat.events.SettingsChanged;
import io.kchat.events.Typing;
import io.kchat.gateway.messages.AttachmentView;
import io.kchat.gateway.messages.EnvelopeView;
import io.kchat.schemas.AvroBytes;
import java.util.Locale;
import java.util.Optional;

/**
 * Renders what reaches a session as the frame a client sees (docs/api.md, server to client). Empty for what this
 * gateway does not know yet (a payload added by a newer schema): the caller logs and skips it.
 */
final class EventFrames {

    private EventFrames() {
    }

    /** An event of the user's log, with its userSeq, as {@code deviceId} of the log's user sees it. */
    static Optional<ServerFrame> render(LoggedEvent logged, String deviceId) {
        long userSeq = logged.getUserSeq();
        ServerFrame frame = switch (logged.getEvent().getPayload()) {
            case ChatMessage m when m.getCiphertext() != null -> encrypted(userSeq, m, logged.getEvent().getUserId(),
                    deviceId);
            case ChatMessage m -> new ServerFrame.Message(userSeq, m.getConversationId(), m.getSeq(),
                    m.getMessageId(), m.getClientId(), m.getSenderId(), m.getBody(), m.getTs(), null, null,
                    m.getReplyTo(), AttachmentView.ofAll(m.getAttachments()), m.getFailed() ? Boolean.TRUE : null);
            case MessageUpdate u -> update(userSeq, u, logged.getEvent().getUserId(), deviceId);
            case SendRefused r -> new ServerFrame.Error(null, userSeq, r.getClientId(), r.getConversationId(),
                    r.getCode(), r.getMessage());
            case ConversationEvent c -> new ServerFrame.Conversation(userSeq, lower(c.getKind()),
                    conversation(c.getConversation()));
            case Receipt r -> new ServerFrame.Receipt(userSeq, r.getConversationId(), r.getUserId(),
                    lower(r.getKind()), r.getSeq());
            case ContactChanged c -> new ServerFrame.Contact(userSeq, lower(c.getKind()), request(c.getRequest()),
                    contact(c.getContact()));
            case KeysChanged k -> new ServerFrame.Keys(userSeq, k.getUserId());
            case SettingsChanged s -> new ServerFrame.Settings(userSeq, s.getConversationId(),
                    new ServerFrame.SettingsView(s.getMuted(), s.getMuted() ? s.getMutedUntil() : null, s.getPinned(),
                            s.getArchived()));
            case null, default -> null;
        };
        return Optional.ofNullable(frame);
    }

    /** No body: only the envelope addressed to this very device, and none when the sender wrote none for it. */
    private static ServerFrame.Message encrypted(long userSeq, ChatMessage m, String userId, String deviceId) {
        return new ServerFrame.Message(userSeq, m.getConversationId(), m.getSeq(), m.getMessageId(),
                m.getClientId(), m.getSenderId(), null, m.getTs(), true, ownEnvelope(m.getCiphertext(), userId, deviceId),
                m.getReplyTo());
    }

    private static ServerFrame.MessageUpdate update(long userSeq, MessageUpdate u, String userId, String deviceId) {
        boolean reaction = u.getKind() == MessageUpdateKind.REACTION;
        return new ServerFrame.MessageUpdate(userSeq, u.getConversationId(), u.getSeq(), lower(u.getKind()),
                u.getUserId(), u.getBody(), ownEnvelope(u.getCiphertext(), userId, deviceId), u.getKey(),
                reaction ? u.getRemove() : null, u.getTs());
    }

    /** The envelope addressed to this very device, or null (also for plain content). */
    private static EnvelopeView ownEnvelope(Ciphertext ciphertext, String userId, String deviceId) {
        if (ciphertext == null) {
            return null;
        }
        return ciphertext.getEnvelopes().stream()
                .filter(e -> e.getUserId().equals(userId) && e.getDeviceId().equals(deviceId))
                .findFirst()
                .map(e -> EnvelopeView.of(ciphertext.getSenderDeviceId(), ciphertext.getAlgorithm(),
                        AvroBytes.copy(e.getCiphertext())))
                .orElse(null);
    }

    /**
     * A Typing, PresenceChanged or AssistantStream item: sent to the sessions open now, never logged, no userSeq. The
     * stream's {@code userId} (whose devices it was routed to) is the routing's business, not the frame's.
     */
    static Optional<ServerFrame> ephemeral(Object item) {
        ServerFrame frame = switch (item) {
            case Typing t -> new ServerFrame.Typing(t.getConversationId(), t.getUserId(), t.getActive());
            case PresenceChanged p -> new ServerFrame.Presence(p.getUserId(), p.getOnline(), p.getAt());
            case AssistantStream a -> new ServerFrame.AssistantStream(a.getConversationId(), a.getReplyTo(),
                    a.getOffset(), a.getDelta(), a.getDone());
            case null, default -> null;
        };
        return Optional.ofNullable(frame);
    }

    static boolean isEphemeral(Object item) {
        return item instanceof Typing || item instanceof PresenceChanged || item instanceof AssistantStream;
    }

    private static ServerFrame.ConversationView conversation(ConversationSnapshot snapshot) {
        return new ServerFrame.ConversationView(snapshot.getConversationId(), lower(snapshot.getType()),
                snapshot.getTitle(),
                snapshot.getMembers().stream()
                        .map(m -> new ServerFrame.MemberView(m.getUserId(), lower(m.getRole())))
                        .toList(),
                snapshot.getEncrypted(), snapshot.getAvatarMediaId());
    }

    private static ServerFrame.RequestView request(ContactRequestView request) {
        return request == null ? null : new ServerFrame.RequestView(request.getRequestId(), request.getFromUserId(),
                request.getToUserId(), request.getMessage(), request.getState(), request.getTs());
    }

    private static ServerFrame.ContactView contact(ContactView contact) {
        return contact == null ? null : new ServerFrame.ContactView(contact.getUserId(), contact.getUsername(),
                contact.getDisplayName(), contact.getSince());
    }

    /** Avro enum constants are the API's words in upper case (CREATED, MEMBER_ADDED, GROUP, OWNER, READ...). */
    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
