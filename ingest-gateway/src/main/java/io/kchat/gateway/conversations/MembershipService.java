package io.kchat.gateway.conversations;

import io.kchat.events.ConversationEventKind;
import io.kchat.events.InboundCommand;
import io.kchat.gateway.avatars.AvatarChange;
import io.kchat.gateway.avatars.AvatarMedia;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.relations.ConnectionRules;
import io.kchat.gateway.relations.PairLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Changes of an existing group: its title, its avatar and its members ({@link MembershipRules} says who may). Each
 * follows D1 like a creation: under a lock of the conversation row, the rows change, the version grows by
 * one and the command (a full snapshot under that version) goes to the outbox, all in one transaction;
 * then the command is published and the caller answered only once Kafka acknowledged it.
 *
 * <p>Non-members get 404 for every call, whether the conversation exists or not. A change that changes
 * nothing (adding a member, setting the current title or avatar) commits no new version but publishes the current
 * snapshot again, which the processor ignores as not newer: a client retrying after a 503 still gets the
 * answer only once the state is in the log, so its next message cannot overtake it.
 *
 * <p>Snapshots are whole states: if two concurrent changes reach Kafka in the opposite order of their
 * commits, the processor keeps the newer version, which contains both.
 */
public final class MembershipService {

    private final Database database;
    private final ConversationCommandLog commandLog;
    private final ConversationConfig config;
    private final Clock clock;
    private final ConversationStore conversations = new ConversationStore();
    private final ConversationSummaries summaries = new ConversationSummaries();
    private final PairLock pairLock = new PairLock();
    private final ConnectionRules rules = new ConnectionRules();
    private final BlockedFlag blockedFlag = new BlockedFlag();
    private final AvatarMedia avatarMedia = new AvatarMedia();

    public MembershipService(Database database, EventPublisher<String, InboundCommand> inbound,
                             ConversationConfig config, Clock clock) {
        this.database = database;
        this.commandLog = new ConversationCommandLog(inbound, config.publishTimeout());
        this.config = config;
        this.clock = clock;
    }

    /**
     * Renames the group and/or sets or removes its avatar: a null {@code title} keeps the title, a null {@code avatar}
     * the avatar. A new avatar must be an image the actor uploaded ({@link AvatarMedia}); the current one given again
     * changes nothing, whoever uploaded it.
     *
     * @return the conversation after the change as the actor's device sees it
     * @throws Refusal 400 nothing to change, an invalid title or an unusable avatar ({@link AvatarMedia#UNUSABLE}),
     *                      404 not a member, 409 a direct conversation, 403 a plain member, 503 Kafka did not
     *                      acknowledge (the change is saved and relayed)
     */
    public ConversationSummary update(String actorId, String deviceId, String conversationId, String title,
                                      AvatarChange avatar) {
        if (title == null && avatar == null) {
            throw Refusal.invalid("nothing to change", "give a title and/or an avatarMediaId");
        }
        String cleanTitle = title == null ? null : Titles.require(title);
        Instant now = now();
        Change change = database.inTransaction(connection -> {
            Conversation current = lockForMember(connection, conversationId, actorId);
            MembershipRules.requireTitled(current);
            MembershipRules.requireManager(current.member(actorId).orElseThrow(), "change the group");
            String nextTitle = cleanTitle == null ? current.title() : cleanTitle;
            String nextAvatar = avatar == null ? current.avatarMediaId() : avatar.mediaId();
            boolean newAvatar = !Objects.equals(nextAvatar, current.avatarMediaId());
            if (newAvatar && nextAvatar != null) {
                avatarMedia.requireUsable(connection, actorId, nextAvatar);
            }
            if (!newAvatar && nextTitle.equals(current.title())) {
                return unchanged(connection, current, ConversationEventKind.UPDATED, actorId, null, now);
            }
            Conversation next = current.next(nextTitle, current.members(), nextAvatar);
            conversations.update(connection, next);
            return commit(connection, next, ConversationEventKind.UPDATED, actorId, null, now);
        });
        commandLog.publish(change.command());
        return database.withConnection(c -> summaries.findForMember(c, conversationId, actorId, deviceId, clock.instant()))
                .orElseGet(() -> new ConversationSummary(change.conversation(), ReadState.EMPTY));
    }

    /**
     * Adds {@code userId} as a plain member; adding a member again changes nothing.
     *
     * @throws Refusal 404 the actor is not a member or the user does not exist (or is the assistant), 409 a direct
     *                      or assistant conversation or the group is full, 403 a plain member, or
     *                      connection_required when a block separates the actor and the user (either way), 503 Kafka
     *                      did not acknowledge
     */
    public void addMember(String actorId, String conversationId, String userId) {
        Instant now = now();
        Change change = database.inTransaction(connection -> {
            Conversation current = lockForMember(connection, conversationId, actorId);
            MembershipRules.requireGroup(current);
            MembershipRules.requireManager(current.member(actorId).orElseThrow(), "add members");
            if (current.member(userId).isPresent()) {
                return unchanged(connection, current, ConversationEventKind.MEMBER_ADDED, actorId, userId, now);
            }
            // the pair locked before the block check: a block placed meanwhile is seen, or waits for this addition
            if (!pairLock.lock(connection, actorId, userId)) {
                throw Refusal.notFound("user not found");
            }
            rules.requireNotSeparated(connection, actorId, userId);
            MembershipRules.requireRoomFor(current, config.maxGroupSize());
            Conversation next = current.next(current.title(), MembershipRules.withAdded(current.members(), userId));
            conversations.addMember(connection, conversationId, next.member(userId).orElseThrow(), now);
            conversations.update(connection, next);
            return commit(connection, next, ConversationEventKind.MEMBER_ADDED, actorId, userId, now);
        });
        commandLog.publish(change.command());
    }

    /**
     * Removes {@code userId}, or lets the actor leave when it is the actor's own id; an owner who leaves hands
     * the group over ({@link MembershipRules#withRemoved}).
     *
     * @throws Refusal 404 the actor or the user is not a member, 409 a direct conversation (or
     *                      removing someone else from an assistant one), 403 not allowed to remove that member, 503
     *                      Kafka did not acknowledge
     */
    public void removeMember(String actorId, String conversationId, String userId) {
        Instant now = now();
        Change change = database.inTransaction(connection -> {
            Conversation current = lockForMember(connection, conversationId, actorId);
            MembershipRules.requireTitled(current);
            Membership actor = current.member(actorId).orElseThrow();
            if (!userId.equals(actorId)) {
                MembershipRules.requireGroup(current);
                MembershipRules.requireManager(actor, "remove members");
                Membership target = current.member(userId)
                        .orElseThrow(() -> Refusal.notFound("member not found"));
                MembershipRules.requireMayRemove(actor, target);
            }
            Conversation next = current.next(current.title(), MembershipRules.withRemoved(current.members(), userId));
            conversations.removeMember(connection, conversationId, userId);
            for (Membership member : next.members()) {
                if (current.member(member.userId()).orElseThrow().role() != member.role()) {
                    conversations.setRole(connection, conversationId, member);
                }
            }
            conversations.update(connection, next);
            return commit(connection, next, ConversationEventKind.MEMBER_REMOVED, actorId, userId, now);
        });
        commandLog.publish(change.command());
    }

    /** Locks the row; 404 alike for a conversation that does not exist and one the actor is not in. */
    private Conversation lockForMember(Connection connection, String conversationId, String actorId)
            throws SQLException {
        return conversations.lock(connection, conversationId)
                .filter(c -> c.member(actorId).isPresent())
                .orElseThrow(() -> Refusal.notFound("conversation not found"));
    }

    private Change commit(Connection connection, Conversation next, ConversationEventKind kind, String actorId,
                          String subjectUserId, Instant now) throws SQLException {
        InboundCommand command = ConversationCommands.changed(kind, next, actorId, subjectUserId, now,
                blockedFlag.of(connection, next));
        commandLog.appendToOutbox(connection, command, now);
        return new Change(next, command);
    }

    /** Nothing to commit: the current snapshot is announced again under its own version. */
    private Change unchanged(Connection connection, Conversation current, ConversationEventKind kind, String actorId,
                             String subjectUserId, Instant now) throws SQLException {
        return new Change(current, ConversationCommands.changed(kind, current, actorId, subjectUserId, now,
                blockedFlag.of(connection, current)));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** What a transaction decided: the conversation after it and the command that announces it. */
    private record Change(Conversation conversation, InboundCommand command) {
    }
}
