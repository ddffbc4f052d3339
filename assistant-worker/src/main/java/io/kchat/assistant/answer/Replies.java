package io.kchat.assistant.answer;

/** The short answers the worker writes itself, shown to the person who asked. */
final class Replies {

    static final String TOO_OLD = "The assistant was unavailable when you asked. Please ask again.";
    static final String RATE_LIMITED = "You are asking faster than the assistant can answer. Please ask again shortly.";
    static final String EMPTY = "The assistant gave no answer. Please try again.";
    static final String NO_TEXT = "The assistant reads only text. Please ask in words.";
    static final String BROKEN = "The assistant failed to answer. Please try again later.";
    static final String STOPPED_BEFORE_ANSWER = "Stopped before the answer began.";

    private Replies() {
    }
}
