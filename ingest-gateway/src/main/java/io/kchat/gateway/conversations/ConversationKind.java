package io.kchat.gateway.conversations;

import java.util.Locale;
import java.util.Optional;

/** Stored and sent as lower case: "direct", "group". */
public enum ConversationKind {
    DIRECT,
    GROUP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ConversationKind> fromWire(String value) {
        for (ConversationKind kind : values()) {
            if (kind.wireName().equals(value)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
