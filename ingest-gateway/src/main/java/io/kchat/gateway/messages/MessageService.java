package io.kchat.gateway.messages;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.events.Attachment;
import io.kchat.events.InboundCommand;
import io.kchat.events.SendMessage;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.kafka.PublishFailedException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A conversation's messages over HTTP: paging the archive, one message, and sending (the HTTP twin of the WebSocket
 * {@code send}).
 *
 * <p>History is shared: a current member reads the whole archive, messages from before they joined
 * included (as in Slack or Matrix with shared history), because a group's context is its history and the
 * archive has no per-member visibility to enforce anything finer. A removed member reads nothing.
 */
public final class MessageService {

    private static final Logger log = LoggerFactory.getLogger(MessageService.class);
    /** Both send paths' words for attachments with a ciphertext: the server would hold the files in plaintext. */
    public static final String ENCRYPTED_ATTACHMENTS =
            "attachments are not supported in end-to-end encrypted conversations yet";

    private final Database database;
    private final EventPublisher<String, InboundCommand> inbound;
    private final int maxBodyChars;
    private final SendRules rules;
    private final Duration publishTimeout;
    private final Clock clock;
    private final MessageStore messages = new MessageStore();

    public MessageService(Database database, EventPublisher<String, InboundCommand> inbound, int maxBodyChars,
                          SendRules rules, Duration publishTimeout, Clock clock) {
        this.database = database;
        this.inbound = inbound;
        this.maxBodyChars = maxBodyChars;
        this.rules = rules;
        this.publishTimeout = publishTimeout;
        this.clock = clock;
    }

    /**
     * A page as the caller's device reads it: an encrypted message with that device's envelope only.
     *
     * @throws Refusal 404 unless {@code userId} is a current member (never 403)
     */
    public List<MessageView> history(String userId, String deviceId, String conversationId, HistoryQuery query) {
        return database.withConnection(connection -> {
            requireMember(messages.isMember(connection, conversationId, userId));
            return messages.page(connection, conversationId, userId, deviceId, query);
        });
    }

    /**
     * One message in its current state, as the caller's device reads it (as in {@link #history}).
     *
     * @throws Refusal 404 unless {@code userId} is a current member, or when the message is not archived (yet)
     */
    public MessageView message(String userId, String deviceId, String conversationId, long seq) {
        return database.withConnection(connection -> {
            requireMember(messages.isMember(connection, conversationId, userId));
            return messages.one(connection, conversationId, userId, deviceId, seq);
        }).orElseThrow(() -> Refusal.notFound("message not found"));
    }

    /**
     * Publishes the send to chat.inbound keyed by conversation and returns once Kafka acknowledged it: the
     * message is durably logged, not yet sequenced. The processor decides, and tells the sender's devices
     * (the echo with its seq, or an error naming {@code clientId}); a retried {@code clientId} is one message.
     *
     * @param ciphertext the {@code ciphertext} member of the request (an end-to-end encrypted conversation), or null
     * @throws Refusal 400 invalid id, body or ciphertext, or content of the wrong kind for the conversation, 404 not a
     *                 current member, 409 envelopes that do not match the members' devices, 503 not acknowledged (not
     *                 stored: the client retries with the same id)
     */
    public void send(String userId, String deviceId, String conversationId, String clientId, String body,
                     JsonNode ciphertext) {
        send(userId, deviceId, conversationId, clientId, body, ciphertext, null);
    }

    /** @param replyTo the seq of the message this one answers (checked by the conversation side), or null */
    public void send(String userId, String deviceId, String conversationId, String clientId, String body,
                     JsonNode ciphertext, Long replyTo) {
        send(userId, deviceId, conversationId, clientId, body, ciphertext, replyTo, List.of());
    }

    /**
     * @param attachments as {@link AttachmentRequests#parse} read them; with at least one, {@code body} may be empty or
     *                    null. The media are checked and claimed last, once everything else about the send is known
     *                    to be acceptable.
     * @throws Refusal 400 also for attachments that are not the sender's complete uploads, or that accompany a
     *                 ciphertext (not supported in end-to-end encrypted conversations yet)
     */
    public void send(String userId, String deviceId, String conversationId, String clientId, String body,
                     JsonNode ciphertext, Long replyTo, List<AttachmentRequest> attachments) {
        if (replyTo != null && replyTo < 1) {
            throw Refusal.invalid("invalid replyTo", "replyTo must be a positive integer (a message's seq)");
        }
        MessageLimits.requireId(clientId);
        SealedContent sealed = null;
        if (ciphertext == null || ciphertext.isNull()) {
            body = attachments.isEmpty() || (body != null && !body.isEmpty())
                    ? MessageLimits.requireBody(body, maxBodyChars) : "";
        } else if (body != null) {
            throw Refusal.invalid("invalid send", "a send carries a body or a ciphertext, not both");
        } else if (!attachments.isEmpty()) {
            throw Refusal.invalid("invalid send", ENCRYPTED_ATTACHMENTS);
        } else {
            sealed = rules.ciphertexts().parse(ciphertext);
        }
        // An early answer for the common mistake; the processor re-checks in log order, which is what counts.
        requireMember(database.withConnection(c -> messages.isMember(c, conversationId, userId)));
        rules.content().require(conversationId, userId, deviceId, sealed);
        List<Attachment> attached = rules.attachments().claim(userId, attachments);
        // Stamped here: the gateway's ingest time is the only clock the processor sees (D2, D11).
        InboundCommand command = new InboundCommand(UUID.randomUUID().toString(), clock.instant(), sealed == null
                ? new SendMessage(clientId, userId, deviceId, body, null, replyTo, attached, false)
                : new SendMessage(clientId, userId, deviceId, "", sealed.toEvent(), replyTo, List.of(), false));
        try {
            inbound.publishAndAwait(conversationId, command, publishTimeout);
        } catch (PublishFailedException e) {
            log.warn("send {} of user {} to {} not acknowledged by Kafka", clientId, userId, conversationId, e);
            throw Refusal.unavailable("message not stored, please retry with the same id");
        }
    }

    private static void requireMember(boolean member) {
        if (!member) {
            throw Refusal.notFound("conversation not found");
        }
    }
}
