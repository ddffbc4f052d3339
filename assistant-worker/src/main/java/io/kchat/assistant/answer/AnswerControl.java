package io.kchat.assistant.answer;

/**
 * One answer being written by a model on {@code thread}, which its asker may stop: the model call is interrupted and
 * the text so far becomes the answer. A stop counts only while the model is answering; after {@link #endAnswering()}
 * it is ignored.
 */
public final class AnswerControl {

    private final String askerId;
    private final Thread thread;
    private boolean answering = true;
    private boolean stopped;

    public AnswerControl(String askerId, Thread thread) {
        this.askerId = askerId;
        this.thread = thread;
    }

    /** A stop from {@code userId}: honoured when it is the asker's and the model is still answering. */
    public synchronized boolean stop(String userId) {
        if (!answering || stopped || !askerId.equals(userId)) {
            return false;
        }
        stopped = true;
        thread.interrupt();
        return true;
    }

    public synchronized boolean stopped() {
        return stopped;
    }

    /**
     * The model call is over (on the answering thread): later stops are ignored, and the interrupt a stop may have
     * sent after the model returned is cleared unless the work was {@code cancelled} (which interrupts too).
     */
    public synchronized void endAnswering(boolean cancelled) {
        answering = false;
        if (stopped && !cancelled) {
            Thread.interrupted();
        }
    }
}
