package io.kchat.gateway.contacts;

import io.kchat.gateway.errors.Refusal;

/**
 * What a contact request may carry. The message is a short note to a stranger ("we met at ..."), not a message
 * channel: at most {@value #MAX_MESSAGE_CHARS} code points, and one of only white space counts as none.
 */
final class RequestInput {

    static final int MAX_MESSAGE_CHARS = 500;
    static final int MAX_ID_LENGTH = 64;

    private RequestInput() {
    }

    /** @throws Refusal 400 for a missing or malformed id */
    static String userId(String userId) {
        if (userId == null || userId.isBlank() || userId.length() > MAX_ID_LENGTH) {
            throw Refusal.invalid("invalid userId", "userId must be a user id");
        }
        return userId;
    }

    /** @return the message as written, or null for none; @throws Refusal 400 when too long */
    static String message(String message) {
        if (message == null || message.isBlank()) {
            return null;
        }
        if (message.codePointCount(0, message.length()) > MAX_MESSAGE_CHARS) {
            throw Refusal.invalid("invalid message", "message must be at most " + MAX_MESSAGE_CHARS + " characters");
        }
        return message;
    }

    /** {@code incoming} (the default) or {@code outgoing}; @return whether incoming; @throws Refusal 400 otherwise */
    static boolean incoming(String direction) {
        if (direction == null || direction.isEmpty() || direction.equals("incoming")) {
            return true;
        }
        if (direction.equals("outgoing")) {
            return false;
        }
        throw Refusal.invalid("invalid direction", "direction must be \"incoming\" or \"outgoing\"");
    }

    /** @throws Refusal 400: a user cannot be their own contact, nor block themselves */
    static void requireOther(String actorId, String userId, String what) {
        if (actorId.equals(userId)) {
            throw Refusal.invalid("invalid userId", "you cannot " + what + " yourself");
        }
    }
}
