package io.kchat.assistant.model;

/** One message of the context a model answers from, in the chat-completions sense. */
public record ChatTurn(Role role, String content) {

    /** The chat-completions roles; {@link #wireName()} is what the request carries. */
    public enum Role {
        SYSTEM, USER, ASSISTANT;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
