package io.kchat.delivery.push;

import io.kchat.events.PushDue;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Makes a PushDue's payload from the read models: {@code unread} as the conversation list counts it, and (where a
 * device wants one and the conversation is not encrypted, D16) a preview from the archive. The archive may trail the
 * PushDue by a moment (both come from the processor, the archive through chat.messages): the preview waits a little
 * for it and is left out after that, since a late push is worse than one without a preview.
 */
final class PayloadReader {

    /** How long a preview waits for the archive. */
    static final Duration PREVIEW_WAIT = Duration.ofSeconds(1);
    private static final long POLL_MILLIS = 100;

    private final PushStore store;
    private final CountDownLatch stopping;

    PayloadReader(PushStore store, CountDownLatch stopping) {
        this.store = store;
        this.stopping = stopping;
    }

    /**
     * @param withPreview whether some device of the PushDue asked for previews: only then is the archive waited for
     */
    PushPayload read(PushDue due, boolean withPreview) throws SQLException, InterruptedException {
        Optional<PushStore.ConversationState> state = store.conversationState(due.getUserId(),
                due.getConversationId());
        boolean encrypted = due.getEncrypted() || state.map(PushStore.ConversationState::encrypted).orElse(false);
        // the archive may not hold the burst yet: never say fewer than the burst the PushDue counts
        long unread = Math.max(state.map(PushStore.ConversationState::unread).orElse(0L), due.getMessages());
        PushPayload bare = new PushPayload(due.getConversationId(), due.getSeq(), due.getSenderId(), unread, null,
                null);
        if (!withPreview || encrypted) {
            return bare;
        }
        Optional<PushStore.ArchivedMessage> message = awaitArchived(due);
        if (message.isEmpty() || message.get().encrypted() || message.get().deleted()) {
            return bare;
        }
        String name = message.get().senderName() != null ? message.get().senderName() : due.getSenderId();
        return new PushPayload(due.getConversationId(), due.getSeq(), due.getSenderId(), unread, name,
                PushPayload.cut(message.get().body()));
    }

    private Optional<PushStore.ArchivedMessage> awaitArchived(PushDue due)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + PREVIEW_WAIT.toNanos();
        while (true) {
            Optional<PushStore.ArchivedMessage> message = store.message(due.getConversationId(), due.getSeq());
            if (message.isPresent() || System.nanoTime() - deadline >= 0) {
                return message;
            }
            if (stopping.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
        }
    }
}
