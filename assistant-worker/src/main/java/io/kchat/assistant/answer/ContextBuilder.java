package io.kchat.assistant.answer;

import io.kchat.assistant.model.ChatTurn;
import io.kchat.assistant.model.ChatTurn.Role;
import io.kchat.schemas.AssistantUser;
import java.util.ArrayList;
import java.util.List;

/**
 * The turns a model answers a question from: the system prompt, then the conversation's latest earlier messages
 * oldest first (the assistant's own as {@code assistant}, everyone else's as {@code user}), then the question. The
 * question is cut to {@code maxChars}; the earlier messages get what it leaves, newest first, and stop at the first
 * that does not fit whole, so the context has no hole in it.
 */
public final class ContextBuilder {

    private final String systemPrompt;
    private final int maxMessages;
    private final int maxChars;

    public ContextBuilder(String systemPrompt, int maxMessages, int maxChars) {
        this.systemPrompt = systemPrompt;
        this.maxMessages = maxMessages;
        this.maxChars = maxChars;
    }

    /** Most earlier messages worth reading from the archive. */
    public int maxMessages() {
        return maxMessages;
    }

    /**
     * @param newestFirst earlier messages, newest first: those usable (not deleted, not failed, with a body); more than
     *                    fit may be given
     */
    public List<ChatTurn> turns(List<ArchivedMessage> newestFirst, String question) {
        String asked = cut(question, maxChars);
        int budget = maxChars - asked.length();
        List<ChatTurn> earlier = new ArrayList<>();
        for (ArchivedMessage message : newestFirst) {
            if (earlier.size() == maxMessages || message.body().length() > budget) {
                break;
            }
            budget -= message.body().length();
            earlier.add(new ChatTurn(role(message.senderId()), message.body()));
        }
        List<ChatTurn> turns = new ArrayList<>(earlier.size() + 2);
        if (!systemPrompt.isBlank()) {
            turns.add(new ChatTurn(Role.SYSTEM, systemPrompt));
        }
        turns.addAll(earlier.reversed());
        turns.add(new ChatTurn(Role.USER, asked));
        return List.copyOf(turns);
    }

    private static Role role(String senderId) {
        return AssistantUser.ID.equals(senderId) ? Role.ASSISTANT : Role.USER;
    }

    /** The first {@code max} UTF-16 units, without splitting a surrogate pair. */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }
}
