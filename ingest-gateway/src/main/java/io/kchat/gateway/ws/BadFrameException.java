package io.kchat.gateway.ws;

/** A client frame that cannot be accepted; answered by a {@code bad_request} error, the socket stays open. */
final class BadFrameException extends Exception {

    private final String ref;

    BadFrameException(String ref, String message) {
        super(message);
        this.ref = ref;
    }

    /** The frame's ref when it could be read, so the client can correlate the error. */
    String ref() {
        return ref;
    }
}
