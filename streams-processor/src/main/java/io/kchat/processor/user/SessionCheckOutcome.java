package io.kchat.processor.user;

import java.util.Locale;

/** What the user side made of a gateway's SessionCheck; every outcome but {@link #KNOWN} healed something. */
public enum SessionCheckOutcome {
    /** Routed to and up to date: nothing to do, the usual answer. */
    KNOWN,
    /** Not routed to: opened as SessionOpened would, replay included. */
    REOPENED,
    /** Its replay never reached it: sent again. */
    REPLAYED,
    /** Live events lost on the way: the ones it lacks sent again. */
    RESENT,
    /** Revoked, or its device removed: told again, and not routed to. */
    REVOKED;

    /** The metric tag's value. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
