package io.kchat.assistant.answer;

/** An earlier message of the conversation, as the archive holds it. */
public record ArchivedMessage(long seq, String senderId, String body) {
}
