package io.kchat.gateway.conversations;

import java.util.Locale;
import java.util.Optional;

/**
 * Stored and sent as lower case: "direct", "group", "assistant". An assistant conversation (D15) is a person and the
 * assistant's user: titled and left like a group, but never joined by anyone else and never encrypted.
 */
public enum ConversationKind {
    DIRECT,
    GROUP,
    ASSISTANT;

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
