package io.kchat.gateway.conversations;

import io.kchat.events.InboundCommand;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.db.OutboxWriter;
import io.kchat.gateway.http.ApiException;
import io.kchat.gateway.http.ProblemCode;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.users.UserStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and reads conversations. A creation follows D1: the rows and an outbox copy of the command
 * commit in one transaction, then the command is published to chat.inbound keyed by conversation, and
 * the caller is answered only once Kafka acknowledged it, so a message sent right after the answer is
 * ordered behind the membership it needs.
 */
public final class ConversationService {

    private static final Logger log = LoggerFactory.getLogger(ConversationService.class);
    /** The outbox event_type of chat.inbound commands: tells the CDC relay the payload's record and topic. */
    public static final String INBOUND_COMMAND_EVENT = "InboundCommand";
    private static final int MAX_TITLE_LENGTH = 128;

    private final Database database;
    private final EventPublisher<String, InboundCommand> inbound;
    private final ConversationConfig config;
    private final Clock clock;
    private final ConversationStore conversations = new ConversationStore();
    private final UserStore users = new UserStore();
    private final OutboxWriter outbox = new OutboxWriter();

    public ConversationService(Database database, EventPublisher<String, InboundCommand> inbound,
                               ConversationConfig config, Clock clock) {
        this.database = database;
        this.inbound = inbound;
        this.config = config;
        this.clock = clock;
    }

    /** A creation's outcome: {@code created} false when the pair's direct conversation already existed. */
    public record Created(Conversation conversation, boolean created) {
    }

    /** @throws ApiException 400 with oneself, 404 for an unknown user, 503 when Kafka did not acknowledge */
    public Created createDirect(String actorId, String otherUserId) {
        if (otherUserId.equals(actorId)) {
            throw ApiException.badRequest("invalid userId", "a direct conversation needs another user");
        }
        Instant now = now();
        String directKey = Conversation.directKey(actorId, otherUserId);
        Conversation fresh = new Conversation(UUID.randomUUID().toString(), ConversationKind.DIRECT, null,
                List.of(new Membership(actorId, Role.MEMBER), new Membership(otherUserId, Role.MEMBER)), 1, now, now);
        InboundCommand freshCommand = ConversationCommands.created(fresh, actorId, now);
        Created result = database.inTransaction(connection -> {
            if (!users.existing(connection, List.of(otherUserId)).contains(otherUserId)) {
                throw ApiException.notFound("user not found");
            }
            if (conversations.insert(connection, fresh, directKey)) {
                writeMembersAndOutbox(connection, fresh, freshCommand);
                return new Created(fresh, true);
            }
            return new Created(conversations.findDirect(connection, directKey).orElseThrow(), false);
        });
        // An existing conversation is announced again (same version, so the processor ignores the copy): its
        // creator's publish may still be in flight or may have failed, and this caller's next message must not
        // overtake it.
        publish(result.created() ? freshCommand : ConversationCommands.created(result.conversation(), actorId, now));
        return result;
    }

    /** @throws ApiException 400 invalid title or too many members, 404 unknown members, 503 Kafka unavailable */
    public Created createGroup(String actorId, String title, List<String> memberIds) {
        String cleanTitle = requireTitle(title);
        Set<String> others = new LinkedHashSet<>(memberIds);
        others.remove(actorId);
        if (others.size() + 1 > config.maxGroupSize()) {
            throw ApiException.badRequest("group too large", "a group has at most " + config.maxGroupSize() + " members");
        }
        Instant now = now();
        List<Membership> members = new ArrayList<>();
        members.add(new Membership(actorId, Role.OWNER));
        others.forEach(id -> members.add(new Membership(id, Role.MEMBER)));
        Conversation group = new Conversation(UUID.randomUUID().toString(), ConversationKind.GROUP, cleanTitle,
                members, 1, now, now);
        InboundCommand command = ConversationCommands.created(group, actorId, now);
        database.inTransaction(connection -> {
            requireExisting(connection, others);
            conversations.insert(connection, group, null);
            writeMembersAndOutbox(connection, group, command);
            return null;
        });
        publish(command);
        return new Created(group, true);
    }

    public List<Conversation> list(String userId) {
        return database.withConnection(c -> conversations.listForMember(c, userId));
    }

    /** @throws ApiException 404 when it does not exist or the user is not a member (never 403) */
    public Conversation get(String userId, String conversationId) {
        Optional<Conversation> found = database.withConnection(c -> conversations.findForMember(c, conversationId, userId));
        return found.orElseThrow(() -> ApiException.notFound("conversation not found"));
    }

    private void writeMembersAndOutbox(Connection connection, Conversation conversation, InboundCommand command)
            throws SQLException {
        conversations.insertMembers(connection, conversation);
        byte[] payload = inbound.topic().valueSerde().serializer().serialize(inbound.topic().name(), command);
        outbox.append(connection, conversation.conversationId(), INBOUND_COMMAND_EVENT, payload, conversation.createdAt());
    }

    private void requireExisting(Connection connection, Set<String> userIds) throws SQLException {
        if (userIds.isEmpty()) {
            return;
        }
        Set<String> missing = new LinkedHashSet<>(userIds);
        missing.removeAll(users.existing(connection, userIds));
        if (!missing.isEmpty()) {
            throw new ApiException(404, ProblemCode.NOT_FOUND, "unknown members",
                    "no such users: " + String.join(", ", missing.stream().limit(5).toList())
                            + (missing.size() > 5 ? " and " + (missing.size() - 5) + " more" : ""));
        }
    }

    /** Waits for Kafka's acknowledgement (acks=all); the committed outbox row covers a failure here. */
    private void publish(InboundCommand command) {
        String conversationId = ConversationCommands.conversationId(command);
        try {
            inbound.publish(conversationId, command).get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("conversation {} committed but command {} not acknowledged by Kafka; the outbox relay will carry it",
                    conversationId, command.getCommandId(), e);
            throw ApiException.unavailable("event log unavailable; the conversation was saved and will be announced");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while publishing");
        }
    }

    private static String requireTitle(String title) {
        if (title == null) {
            throw ApiException.badRequest("invalid title", "a group needs a title");
        }
        String trimmed = title.strip();
        int length = trimmed.codePointCount(0, trimmed.length());
        if (length < 1 || length > MAX_TITLE_LENGTH) {
            throw ApiException.badRequest("invalid title", "title must be 1 to " + MAX_TITLE_LENGTH + " characters long");
        }
        if (trimmed.codePoints().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("invalid title", "title must not contain control characters");
        }
        return trimmed;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
