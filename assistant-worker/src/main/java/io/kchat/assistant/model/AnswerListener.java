package io.kchat.assistant.model;

/**
 * What a {@link ChatModel} reports while it answers, on the answering thread. {@link #restarted()} comes before the
 * first delta of every attempt after the first: the text so far is void, the answer starts over at offset 0.
 */
public interface AnswerListener {

    void delta(String text);

    void restarted();
}
