package io.kchat.gateway.conversations;

/** A member's delivered and read positions in a conversation's {@code seq}. */
public record ReceiptPosition(String userId, long deliveredSeq, long readSeq) {
}
