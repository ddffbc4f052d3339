package io.kchat.assistant.model;

import java.util.List;

/**
 * An OpenAI-compatible chat-completions model (D15). {@link #answer} makes every attempt (retries with backoff
 * included) and returns only a complete answer; it blocks the calling thread, which may be virtual. Interrupting that
 * thread cancels the answer: the call ends promptly with {@link InterruptedException}.
 */
public interface ChatModel {

    Answer answer(List<ChatTurn> turns, AnswerListener listener) throws ModelFailure, InterruptedException;
}
