package io.kchat.assistant.model;

/**
 * Why a model gave no answer: {@link #label()} is {@link ModelFailure#kind()} (for metrics and logs),
 * {@link #userMessage()} what the person who asked may read (never the provider's words, the URL or the key).
 */
public enum FailureKind {
    /** No answer within the first-token, idle or answer timeout, or no connection within the connect timeout. */
    TIMEOUT("timeout", "The model did not answer in time."),
    /** No connection, or the API answered 5xx, 408 or 425. */
    UNAVAILABLE("unavailable", "The model is not available right now."),
    /** 429, or a rate-limit error inside the stream. */
    RATE_LIMITED("rate_limited", "The model is busy right now. Please try again in a moment."),
    /** Any other 4xx (a wrong key, an unknown model, a question too long), or such an error inside the stream. */
    REFUSED("refused", "The model could not take this question."),
    /** A 200 whose body is neither an event stream of JSON nor a chat completion, or a line beyond the size cap. */
    GARBAGE("garbage", "The model's answer could not be read."),
    /** The stream ended (or the connection broke) before the answer was complete. */
    BROKEN("broken", "The model's answer broke off."),
    /** A complete answer without any text. */
    EMPTY("empty", "The model gave an empty answer.");

    private final String label;
    private final String userMessage;

    FailureKind(String label, String userMessage) {
        this.label = label;
        this.userMessage = userMessage;
    }

    public String label() {
        return label;
    }

    public String userMessage() {
        return userMessage;
    }
}
