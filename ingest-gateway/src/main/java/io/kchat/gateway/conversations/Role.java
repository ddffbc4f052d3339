package io.kchat.gateway.conversations;

import java.util.Locale;

/** A member's role, stored and sent as lower case: "owner", "admin", "member". */
public enum Role {
    OWNER,
    ADMIN,
    MEMBER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
