package io.kchat.assistant.answer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The answers this instance is writing now, by question (conversation, seq): where a stop finds its answer. */
public final class ActiveAnswers {

    private record Key(String conversationId, long seq) {
    }

    private final Map<Key, AnswerControl> answers = new ConcurrentHashMap<>();

    public void add(String conversationId, long seq, AnswerControl control) {
        answers.put(new Key(conversationId, seq), control);
    }

    public void remove(String conversationId, long seq, AnswerControl control) {
        answers.remove(new Key(conversationId, seq), control);
    }

    /** Whether the stop reached an answer written here for {@code userId}; any other stop is ignored. */
    public boolean stop(String conversationId, long replyTo, String userId) {
        AnswerControl control = answers.get(new Key(conversationId, replyTo));
        return control != null && control.stop(userId);
    }

    public int size() {
        return answers.size();
    }
}
