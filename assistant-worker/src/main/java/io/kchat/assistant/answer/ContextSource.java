package io.kchat.assistant.answer;

import io.kchat.assistant.intake.Question;
import io.kchat.assistant.model.ChatTurn;
import java.util.List;

/** The turns a model answers a question from. */
@FunctionalInterface
public interface ContextSource {

    List<ChatTurn> turns(Question question) throws InterruptedException;
}
