package io.kchat.gateway.media.content;

/** Why no thumbnail was made. Expected on hostile or damaged uploads, so it carries no stack trace. */
public final class ThumbnailRefusedException extends Exception {

    public enum Reason {
        /** The content type is no image a thumbnail is made of (404 on the thumbnail route). */
        NOT_AN_IMAGE,
        /** Every decode slot stayed taken for the whole wait: try again later (503). */
        BUSY,
        /** The header declares more pixels than a thumbnail is made of: refused before any decoding. */
        TOO_LARGE,
        /** Truncated, corrupt, or the decoder had to recover from damage. */
        UNREADABLE,
        /** The decode ran past its deadline and was aborted. */
        TIMED_OUT
    }

    private final Reason reason;

    public ThumbnailRefusedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
