package io.kchat.gateway.accounts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Who may start a direct conversation with a user (users.dm_policy); nobody a block separates, whichever it is. */
public enum DmPolicy {
    /** anyone not separated by a block */
    EVERYONE,
    /** only the user's contacts */
    CONTACTS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DmPolicy> fromWire(String value) {
        return Arrays.stream(values()).filter(p -> p.wireName().equals(value)).findFirst();
    }
}
