package io.kchat.processor.user;

import io.kchat.events.ChatMessage;
import io.kchat.events.LoggedEvent;
import io.kchat.events.PendingPush;
import io.kchat.events.UserState;
import io.kchat.processor.streams.DueIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The bursts of messages from others that wait for {@code grace} in a user's log before the user side decides which of
 * the user's devices owe them a push (D15): at most one per user and conversation (RFC 8030's {@code Topic} replaces an
 * earlier push of the conversation anyway), due {@code grace} after its first message's record time, holding the newest
 * message. A message after the burst fell due starts the next one. Only a user with a registered device holds one:
 * without a device there is nobody to push to, now or at the due time (a device registered later starts after it).
 *
 * <p>Every time here is a record time or the stream time of a punctuation, never the wall clock (D2). Bursts are kept
 * in {@link #STORE}, keyed {@code userId NUL conversationId}, and indexed by due time in {@link #DUE_STORE}
 * ({@link DueIndex}), so that a punctuation reads only the due ones.
 */
final class PendingPushes {

    private static final long MAX_PUNCTUATION_MS = 100;

    static final String STORE = "user-push-pending";
    static final String DUE_STORE = "user-push-due";

    private final long graceMs;
    private final DueIndex due = new DueIndex();
    private KeyValueStore<String, PendingPush> bursts;

    PendingPushes(Duration grace) {
        this.graceMs = grace.toMillis();
    }

    void init(KeyValueStore<String, PendingPush> bursts, KeyValueStore<String, String> dueIndex) {
        this.bursts = bursts;
        this.due.init(dueIndex);
    }

    /**
     * How often stream time is looked at for due bursts: a push goes out at most 100 ms (a quarter of a shorter grace)
     * after it fell due in stream time. Also the stall watch's period while bursts wait, so a quiet partition asks for
     * a tick within two of these. The punctuation only reads the in-memory earliest due time when nothing is due, and
     * does not run more often than every 10 ms of stream time.
     */
    Duration punctuationInterval() {
        return Duration.ofMillis(Math.max(10, Math.min(MAX_PUNCTUATION_MS, graceMs / 4)));
    }

    /** After {@code logged} became the newest event of {@code userId}'s log at record time {@code at} (ms). */
    void appended(String userId, UserState state, LoggedEvent logged, long at) {
        if (!(logged.getEvent().getPayload() instanceof ChatMessage message)
                || message.getSenderId().equals(userId) || state.getDevices().isEmpty()) {
            return;
        }
        String key = key(userId, message.getConversationId());
        PendingPush burst = bursts.get(key);
        if (burst == null) {
            long dueAt = at + graceMs;
            burst = new PendingPush(userId, message.getConversationId(), dueAt, 0L, "", "", 0L, 0, false,
                    message.getTs());
            due.put(dueAt, key);
        }
        // the log is in seq order per conversation: this is the burst's newest message
        burst.setSeq(message.getSeq());
        burst.setMessageId(message.getMessageId());
        burst.setSenderId(message.getSenderId());
        burst.setUserSeq(logged.getUserSeq());
        burst.setMessages(burst.getMessages() + 1);
        burst.setEncrypted(message.getCiphertext() != null);
        burst.setSentAt(message.getTs());
        bursts.put(key, burst);
    }

    /** The bursts due at stream time {@code now}, in due order, taken out of both stores. */
    List<PendingPush> takeDue(long now) {
        if (!due.anyDue(now)) {
            return List.of();
        }
        List<PendingPush> taken = new ArrayList<>();
        for (String key : due.takeDue(now)) {
            PendingPush burst = bursts.get(key);
            if (burst != null) {
                bursts.delete(key);
                taken.add(burst);
            }
        }
        return taken;
    }

    /** Whether any burst waits: only then does a stalled stream time need a tick for them. */
    boolean anyPending() {
        return due.anyHeld();
    }

    /** The layout is persisted (store and changelog): the user id, NUL, the conversation id. */
    static String key(String userId, String conversationId) {
        return userId + '\u0000' + conversationId;
    }
}
