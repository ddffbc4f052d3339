package io.kchat.gateway.contacts;

import java.time.Instant;

/**
 * A connection request as the API shows it: {@code state} is {@code pending}, {@code accepted} or {@code declined};
 * {@code ts} is when it was sent; {@code message} is absent when the sender wrote none.
 */
public record ContactRequest(String requestId, String fromUserId, String toUserId, String message, String state,
                             Instant ts) {

    ContactRequest decided(RequestState decision) {
        return new ContactRequest(requestId, fromUserId, toUserId, message, decision.wireName(), ts);
    }

    boolean isPending() {
        return RequestState.PENDING.wireName().equals(state);
    }
}
