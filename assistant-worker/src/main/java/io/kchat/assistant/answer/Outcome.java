package io.kchat.assistant.answer;

import java.util.Locale;

/** What became of a question: the {@code outcome} tag of the questions counter. */
public enum Outcome {
    /** The model's answer was posted. */
    ANSWERED,
    /** A failed answer was posted: the model failed, gave nothing, or the question had no text. */
    FAILED,
    /** The asker stopped the answer: the text so far was posted. */
    STOPPED,
    /** Over the asker's rate: a failed answer was posted at once. */
    RATE_LIMITED,
    /** Older than ASSISTANT_MAX_QUESTION_AGE: a failed answer saying the assistant was unavailable was posted. */
    TOO_OLD;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
