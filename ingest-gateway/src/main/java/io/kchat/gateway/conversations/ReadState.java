package io.kchat.gateway.conversations;

import io.kchat.gateway.messages.MessageView;

/**
 * Where a member stands in a conversation, from the read models (D9): the archive watermark
 * {@code lastSeq}, the member's {@code readSeq}, the archived messages from others above it, and the
 * message at {@code lastSeq} when it is archived ({@code null} otherwise).
 */
public record ReadState(long lastSeq, long readSeq, long unread, MessageView lastMessage) {

    /** A conversation nothing was said in yet. */
    public static final ReadState EMPTY = new ReadState(0, 0, 0, null);
}
