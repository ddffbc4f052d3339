package io.kchat.gateway.conversations;

import io.kchat.events.InboundCommand;
import io.kchat.gateway.accounts.UserStore;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.relations.ConnectionRules;
import io.kchat.gateway.relations.PairLock;
import io.kchat.schemas.AssistantUser;
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

/**
 * Creates and reads conversations. A creation follows D1: the rows and an outbox copy of the command
 * commit in one transaction, then the command is published to chat.inbound keyed by conversation, and
 * the caller is answered only once Kafka acknowledged it, so a message sent right after the answer is
 * ordered behind the membership it needs.
 */
public final class ConversationService {

    /** The title of an assistant conversation created without one. */
    public static final String DEFAULT_ASSISTANT_TITLE = "Assistant";

    private final Database database;
    private final ConversationCommandLog commandLog;
    private final ConversationConfig config;
    private final Clock clock;
    private final ConversationStore conversations = new ConversationStore();
    private final ConversationSummaries summaries = new ConversationSummaries();
    private final ReceiptPositions receipts = new ReceiptPositions();
    private final UserStore users = new UserStore();
    private final ConnectionRules rules = new ConnectionRules();
    private final PairLock pairLock = new PairLock();
    private final BlockedFlag blockedFlag = new BlockedFlag();

    public ConversationService(Database database, EventPublisher<String, InboundCommand> inbound,
                               ConversationConfig config, Clock clock) {
        this.database = database;
        this.commandLog = new ConversationCommandLog(inbound, config.publishTimeout());
        this.config = config;
        this.clock = clock;
    }

    /** A creation's outcome: {@code created} false when the pair's direct conversation already existed. */
    public record Created(Conversation conversation, boolean created) {
    }

    /**
     * The pair's direct conversation, created unless it exists. A new one needs {@link ConnectionRules#requireMayStartDirect}
     * (no block either way, the other's dmPolicy); an existing one is answered unless a block separates the two: the
     * dmPolicy governs who may start a conversation, not one that was started before it changed.
     *
     * @throws Refusal 400 with oneself, 404 for an unknown user, 403 connection_required, 503 when Kafka did not
     *                 acknowledge
     */
    public Created createDirect(String actorId, String otherUserId, boolean encrypted) {
        if (otherUserId.equals(actorId)) {
            throw Refusal.invalid("invalid userId", "a direct conversation needs another user");
        }
        Instant now = now();
        String directKey = Conversation.directKey(actorId, otherUserId, encrypted);
        Conversation fresh = new Conversation(UUID.randomUUID().toString(), ConversationKind.DIRECT, null,
                List.of(new Membership(actorId, Role.MEMBER), new Membership(otherUserId, Role.MEMBER)), 1, now, now,
                encrypted);
        Announced result = database.inTransaction(connection -> {
            // before any check: a block placed meanwhile waits for this creation, then finds it and flags it
            if (!pairLock.lock(connection, actorId, otherUserId)) {
                throw Refusal.notFound("user not found");
            }
            Optional<Conversation> existing = conversations.findDirect(connection, directKey);
            if (existing.isPresent()) {
                rules.requireNotSeparated(connection, actorId, otherUserId);
                return reannounced(connection, existing.get(), actorId, now);
            }
            rules.requireMayStartDirect(connection, actorId, otherUserId);
            if (conversations.insert(connection, fresh, directKey)) {
                InboundCommand command = ConversationCommands.created(fresh, actorId, now,
                        blockedFlag.of(connection, fresh));
                writeMembersAndOutbox(connection, fresh, command);
                return new Announced(new Created(fresh, true), command);
            }
            // the other user created it at the same moment
            return reannounced(connection, conversations.findDirect(connection, directKey).orElseThrow(), actorId, now);
        });
        commandLog.publish(result.command());
        return result.created();
    }

    /**
     * An existing conversation is announced again (same version, so the processor ignores the copy): its creator's
     * publish may still be in flight or may have failed, and this caller's next message must not overtake it.
     */
    private Announced reannounced(Connection connection, Conversation existing, String actorId, Instant now)
            throws SQLException {
        return new Announced(new Created(existing, false),
                ConversationCommands.created(existing, actorId, now, blockedFlag.of(connection, existing)));
    }

    /** What a creation's transaction decided, and the command that announces it after the commit. */
    private record Announced(Created created, InboundCommand command) {
    }

    /**
     * @throws Refusal 400 invalid title or too many members, 404 unknown members, 403 connection_required when a
     *                 block separates the creator from a member (either way), 503 Kafka unavailable
     */
    public Created createGroup(String actorId, String title, List<String> memberIds, boolean encrypted) {
        String cleanTitle = Titles.require(title);
        Set<String> others = new LinkedHashSet<>(memberIds);
        others.remove(actorId);
        if (others.size() + 1 > config.maxGroupSize()) {
            throw Refusal.invalid("group too large", "a group has at most " + config.maxGroupSize() + " members");
        }
        Instant now = now();
        List<Membership> members = new ArrayList<>();
        members.add(new Membership(actorId, Role.OWNER));
        others.forEach(id -> members.add(new Membership(id, Role.MEMBER)));
        Conversation group = new Conversation(UUID.randomUUID().toString(), ConversationKind.GROUP, cleanTitle,
                members, 1, now, now, encrypted);
        InboundCommand command = database.inTransaction(connection -> {
            requireExisting(connection, others);
            rules.requireNoneSeparated(connection, actorId, others);
            InboundCommand created = ConversationCommands.created(group, actorId, now, blockedFlag.of(connection, group));
            conversations.insert(connection, group, null);
            writeMembersAndOutbox(connection, group, created);
            return created;
        });
        commandLog.publish(command);
        return new Created(group, true);
    }

    /**
     * A new assistant conversation (D15): the actor as owner and the assistant's user, titled {@code title} or, when
     * null, {@link #DEFAULT_ASSISTANT_TITLE}. Never end-to-end encrypted: the assistant reads what it answers. Created
     * as a group is (D1); whether the deployment offers the assistant at all is the caller's to check.
     *
     * @throws Refusal 400 invalid title, 503 Kafka unavailable
     */
    public Created createAssistant(String actorId, String title) {
        String cleanTitle = title == null ? DEFAULT_ASSISTANT_TITLE : Titles.require(title);
        Instant now = now();
        Conversation assistant = new Conversation(UUID.randomUUID().toString(), ConversationKind.ASSISTANT, cleanTitle,
                List.of(new Membership(actorId, Role.OWNER), new Membership(AssistantUser.ID, Role.MEMBER)), 1, now,
                now, false);
        InboundCommand command = database.inTransaction(connection -> {
            InboundCommand created = ConversationCommands.created(assistant, actorId, now,
                    blockedFlag.of(connection, assistant));
            conversations.insert(connection, assistant, null);
            writeMembersAndOutbox(connection, assistant, created);
            return created;
        });
        commandLog.publish(command);
        return new Created(assistant, true);
    }

    /** The user's conversations with their read state, most recent activity first, as {@code deviceId} reads them. */
    public List<ConversationSummary> list(String userId, String deviceId) {
        return database.withConnection(c -> summaries.listForMember(c, userId, deviceId, clock.instant()));
    }

    /** @throws Refusal 404 when it does not exist or the user is not a member (never 403) */
    public ConversationSummary get(String userId, String deviceId, String conversationId) {
        Optional<ConversationSummary> found =
                database.withConnection(c -> summaries.findForMember(c, conversationId, userId, deviceId, clock.instant()));
        return found.orElseThrow(() -> Refusal.notFound("conversation not found"));
    }

    /** @throws Refusal 404 when it does not exist or the user is not a member (never 403) */
    public List<ReceiptPosition> receipts(String userId, String conversationId) {
        List<ReceiptPosition> found = database.withConnection(c -> receipts.forMember(c, conversationId, userId));
        if (found.isEmpty()) {
            throw Refusal.notFound("conversation not found");
        }
        return found;
    }

    private void writeMembersAndOutbox(Connection connection, Conversation conversation, InboundCommand command)
            throws SQLException {
        conversations.insertMembers(connection, conversation);
        commandLog.appendToOutbox(connection, command, conversation.createdAt());
    }

    private void requireExisting(Connection connection, Set<String> userIds) throws SQLException {
        if (userIds.isEmpty()) {
            return;
        }
        Set<String> missing = new LinkedHashSet<>(userIds);
        missing.removeAll(users.existingPeople(connection, userIds));
        if (!missing.isEmpty()) {
            throw Refusal.notFound("unknown members",
                    "no such users: " + String.join(", ", missing.stream().limit(5).toList())
                            + (missing.size() > 5 ? " and " + (missing.size() - 5) + " more" : ""));
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
