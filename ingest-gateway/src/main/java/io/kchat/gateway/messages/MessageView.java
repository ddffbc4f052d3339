package io.kchat.gateway.messages;

import java.time.Instant;

/**
 * The message object of the API, everywhere: {@code id} is the client's idempotency id, {@code messageId}
 * the server's, {@code seq} its place in the conversation.
 */
public record MessageView(String conversationId, long seq, String messageId, String id, String senderId, String body,
                          Instant ts) {
}
