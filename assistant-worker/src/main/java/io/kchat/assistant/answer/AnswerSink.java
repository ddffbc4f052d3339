package io.kchat.assistant.answer;

import io.kchat.assistant.intake.Cancellation;
import io.kchat.assistant.intake.Question;

/** Where answers are posted: returns once the answer is durable, throws when the work is cancelled first. */
@FunctionalInterface
public interface AnswerSink {

    void post(Question question, String body, boolean failed, Cancellation cancellation) throws InterruptedException;
}
