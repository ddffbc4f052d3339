package io.kchat.assistant.it;

import io.kchat.assistant.model.Answer;
import io.kchat.assistant.model.AnswerListener;
import io.kchat.assistant.model.ChatModel;
import io.kchat.assistant.model.ChatTurn;
import io.kchat.assistant.model.ModelFailure;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model whose answer the question itself scripts: {@code fail...} fails, {@code block...} streams
 * {@value #PARTIAL} and then waits until interrupted (unless {@link #unblocked}), anything else streams and returns
 * {@code "Answer to: <question>"} in three deltas. Records every context it was given and the most calls running at
 * once.
 */
final class ScriptedModel implements ChatModel {

    static final String PARTIAL = "Partial answer";
    static final String FAILURE = "The assistant could not be reached. Please try again later.";

    final List<List<ChatTurn>> contexts = new CopyOnWriteArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    private final boolean unblocked;

    ScriptedModel(boolean unblocked) {
        this.unblocked = unblocked;
    }

    static String answerTo(String question) {
        return "Answer to: " + question;
    }

    @Override
    public Answer answer(List<ChatTurn> turns, AnswerListener listener) throws ModelFailure, InterruptedException {
        contexts.add(turns);
        String question = turns.getLast().content();
        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            if (question.startsWith("fail")) {
                throw new ModelFailure("unreachable", FAILURE, null);
            }
            if (question.startsWith("block") && !unblocked) {
                listener.delta(PARTIAL);
                new CountDownLatch(1).await();
            }
            String answer = answerTo(question);
            int third = answer.length() / 3;
            listener.delta(answer.substring(0, third));
            listener.delta(answer.substring(third, 2 * third));
            listener.delta(answer.substring(2 * third));
            return new Answer(answer, false);
        } finally {
            running.decrementAndGet();
        }
    }
}
