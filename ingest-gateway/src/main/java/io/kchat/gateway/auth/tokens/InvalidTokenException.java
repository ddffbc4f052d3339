package io.kchat.gateway.auth.tokens;

/** A token that is malformed, badly signed, expired, of the wrong type or revoked. Maps to 401 / close 4001. */
public class InvalidTokenException extends Exception {
    public InvalidTokenException(String message) {
        super(message);
    }

    public InvalidTokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
