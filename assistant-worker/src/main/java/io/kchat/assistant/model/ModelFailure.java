package io.kchat.assistant.model;

/**
 * The model gave no answer after the last attempt. {@link #userMessage()} is safe to show the person who asked (no
 * provider body, no URL, no key); {@link #kind()} is a short label for metrics and logs.
 */
public class ModelFailure extends Exception {

    private final String kind;
    private final String userMessage;

    public ModelFailure(String kind, String userMessage, Throwable cause) {
        super(kind + ": " + userMessage, cause);
        this.kind = kind;
        this.userMessage = userMessage;
    }

    public String kind() {
        return kind;
    }

    public String userMessage() {
        return userMessage;
    }
}
