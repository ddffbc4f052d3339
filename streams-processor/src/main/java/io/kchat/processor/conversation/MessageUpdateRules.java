package io.kchat.processor.conversation;

import io.kchat.events.ConversationSnapshot;
import io.kchat.events.ConversationState;
import io.kchat.events.ConversationType;
import io.kchat.events.Member;
import io.kchat.events.MemberReactions;
import io.kchat.events.MemberRole;
import io.kchat.events.MessageFacts;
import io.kchat.events.MessageUpdate;
import io.kchat.events.UpdateMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Whether an edit, delete or reaction is accepted at its place in the conversation (D13), and what it changes of the
 * message's {@link MessageFacts}. Checked in order with the messages, so an edit that races a delete, or comes from a
 * member removed just before it, is judged against what was applied before it and nothing after.
 */
final class MessageUpdateRules {

    /** API: a user reacts to one message with at most this many distinct keys. */
    static final int MAX_KEYS_PER_USER = 20;
    /** API: a reaction key is 1 to 32 characters (code points). */
    static final int MAX_KEY_CHARS = 32;

    /** The outcome: an update to announce, nothing to announce (a reaction already so), or a refusal. */
    sealed interface Outcome {
        record Accepted(MessageUpdate update, MessageFacts facts) implements Outcome {
        }

        record Unchanged() implements Outcome {
        }

        record Refused(String code, String message) implements Outcome {
        }
    }

    private MessageUpdateRules() {
    }

    /**
     * @param facts the message's facts, empty when no message {@code seq} was accepted in the conversation
     */
    static Outcome judge(String conversationId, ConversationState state, Optional<MessageFacts> facts,
                         UpdateMessage update, Instant ts) {
        ConversationSnapshot snapshot = state.getSnapshot();
        Optional<Member> member = snapshot == null ? Optional.empty() : snapshot.getMembers().stream()
                .filter(m -> m.getUserId().equals(update.getUserId())).findFirst();
        if (member.isEmpty() || facts.isEmpty()) {
            return refused(ConversationCommandProcessor.NOT_FOUND, "no such message");
        }
        MessageFacts current = facts.get();
        if (current.getDeleted()) {
            return refused(ConversationCommandProcessor.NOT_FOUND, "the message is deleted");
        }
        boolean author = current.getSenderId().equals(update.getUserId());
        return switch (update.getKind()) {
            case EDIT -> edit(conversationId, snapshot, current, update, author, ts);
            case DELETE -> delete(conversationId, snapshot, current, update, member.get(), author, ts);
            case REACTION -> reaction(conversationId, snapshot, current, update, ts);
        };
    }

    private static Outcome edit(String conversationId, ConversationSnapshot snapshot, MessageFacts facts,
                                UpdateMessage update, boolean author, Instant ts) {
        if (!author) {
            return refused(ConversationCommandProcessor.FORBIDDEN, "only its author edits a message");
        }
        if (snapshot.getBlocked()) {
            return refused(ConversationCommandProcessor.FORBIDDEN, "you cannot post in this conversation");
        }
        String kindRefused = Envelopes.kindRefusal(snapshot, update.getCiphertext(), "edit with");
        if (kindRefused != null) {
            return refused(ConversationCommandProcessor.BAD_REQUEST, kindRefused);
        }
        if (update.getCiphertext() == null && (update.getBody() == null || update.getBody().isEmpty())) {
            return refused(ConversationCommandProcessor.BAD_REQUEST,
                    "this conversation is not end-to-end encrypted: edit with a body");
        }
        MessageFacts next = copy(facts);
        return accepted(conversationId, update, next, ts, builder -> builder
                .setBody(snapshot.getEncrypted() ? null : update.getBody())
                .setCiphertext(snapshot.getEncrypted() ? Envelopes.forMembers(update.getCiphertext(), snapshot) : null));
    }

    private static Outcome delete(String conversationId, ConversationSnapshot snapshot, MessageFacts facts,
                                  UpdateMessage update, Member member, boolean author, Instant ts) {
        boolean moderator = snapshot.getType() == ConversationType.GROUP
                && (member.getRole() == MemberRole.OWNER || member.getRole() == MemberRole.ADMIN);
        if (!author && !moderator) {
            return refused(ConversationCommandProcessor.FORBIDDEN,
                    "only its author, or an owner or admin of the group, deletes a message");
        }
        MessageFacts next = copy(facts);
        next.setDeleted(true);
        next.setReactions(new ArrayList<>()); // the content is gone, reactions with it
        return accepted(conversationId, update, next, ts, builder -> { });
    }

    private static Outcome reaction(String conversationId, ConversationSnapshot snapshot, MessageFacts facts,
                                    UpdateMessage update, Instant ts) {
        String key = update.getKey();
        if (key == null || key.isEmpty() || key.codePointCount(0, key.length()) > MAX_KEY_CHARS) {
            return refused(ConversationCommandProcessor.BAD_REQUEST, "key must be 1 to " + MAX_KEY_CHARS + " characters");
        }
        if (snapshot.getBlocked()) {
            return refused(ConversationCommandProcessor.FORBIDDEN, "you cannot post in this conversation");
        }
        MessageFacts next = copy(facts);
        List<String> keys = keysOf(next, update.getUserId());
        if (update.getRemove()) {
            if (!keys.remove(key)) {
                return new Outcome.Unchanged();
            }
        } else {
            if (keys.contains(key)) {
                return new Outcome.Unchanged();
            }
            if (keys.size() >= MAX_KEYS_PER_USER) {
                return refused(ConversationCommandProcessor.BAD_REQUEST,
                        "at most " + MAX_KEYS_PER_USER + " reactions per person and message");
            }
            keys.add(key);
        }
        next.getReactions().removeIf(r -> r.getKeys().isEmpty());
        return accepted(conversationId, update, next, ts, builder -> builder.setKey(key).setRemove(update.getRemove()));
    }

    /** The user's keys in {@code facts}, as an editable list inside it (added when the user had none). */
    private static List<String> keysOf(MessageFacts facts, String userId) {
        for (MemberReactions reactions : facts.getReactions()) {
            if (reactions.getUserId().equals(userId)) {
                return reactions.getKeys();
            }
        }
        MemberReactions added = new MemberReactions(userId, new ArrayList<>());
        facts.getReactions().add(added);
        return added.getKeys();
    }

    private static Outcome accepted(String conversationId, UpdateMessage update, MessageFacts next, Instant ts,
                                    Consumer<MessageUpdate.Builder> content) {
        long place = next.getUpdates() + 1;
        next.setUpdates(place);
        MessageUpdate.Builder builder = MessageUpdate.newBuilder()
                .setConversationId(conversationId)
                .setSeq(update.getSeq())
                .setUpdateId(updateId(conversationId, update.getSeq(), place))
                .setKind(update.getKind())
                .setUserId(update.getUserId())
                .setTs(ts);
        content.accept(builder);
        return new Outcome.Accepted(builder.build(), next);
    }

    /** Avro's decoded arrays cannot be edited in place: the rules work on plain lists. */
    private static MessageFacts copy(MessageFacts facts) {
        List<MemberReactions> reactions = new ArrayList<>();
        for (MemberReactions r : facts.getReactions()) {
            reactions.add(new MemberReactions(r.getUserId(), new ArrayList<>(r.getKeys())));
        }
        return new MessageFacts(facts.getSenderId(), facts.getDeleted(), reactions, facts.getUpdates());
    }

    /** Derived from the message and the update's place among its updates, so a replay repeats it (D2). */
    static String updateId(String conversationId, long seq, long place) {
        return UUID.nameUUIDFromBytes((conversationId + '#' + seq + '/' + place).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static Outcome refused(String code, String message) {
        return new Outcome.Refused(code, message);
    }
}
