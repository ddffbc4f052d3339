package io.kchat.processor.conversation;

/**
 * What the conversation side counts about sends: kept out of the processor's logic, which stays free of any
 * metrics library. Counted when processed: a transaction aborted and processed again counts twice.
 */
public interface ConversationMetrics {

    /** Counts nothing: for tests that do not look. */
    ConversationMetrics NONE = new ConversationMetrics() {
        @Override
        public void sequenced() {
        }

        @Override
        public void duplicate() {
        }

        @Override
        public void refused(String reason) {
        }
    };

    /** A message accepted and given its {@code seq}. */
    void sequenced();

    /** A retried client id within the dedupe window: the original echoed again, nothing sequenced. */
    void duplicate();

    /** A send refused, with the code its sender gets ({@code not_found}...). */
    void refused(String reason);
}
