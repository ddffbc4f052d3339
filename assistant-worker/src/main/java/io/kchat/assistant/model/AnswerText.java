package io.kchat.assistant.model;

/**
 * The answer as it grows, cut at a number of code points (a message body's limit is in code points, and a cut must
 * not split a surrogate pair). It is full only when the model sent more than fits: an answer exactly as long as the
 * cap is complete, not truncated.
 */
final class AnswerText {

    private final int maxCodePoints;
    private final StringBuilder text = new StringBuilder();
    private int codePoints;
    private boolean full;

    AnswerText(int maxCodePoints) {
        this.maxCodePoints = maxCodePoints;
    }

    /** Appends what fits of {@code piece} and returns it (the delta to report). */
    String add(String piece) {
        int room = maxCodePoints - codePoints;
        int count = piece.codePointCount(0, piece.length());
        String fits = piece;
        if (count > room) {
            fits = piece.substring(0, piece.offsetByCodePoints(0, room));
            count = room;
            full = true;
        }
        text.append(fits);
        codePoints += count;
        return fits;
    }

    boolean full() {
        return full;
    }

    boolean isEmpty() {
        return text.isEmpty();
    }

    String text() {
        return text.toString();
    }
}
