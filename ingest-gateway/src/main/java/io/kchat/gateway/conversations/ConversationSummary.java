package io.kchat.gateway.conversations;

/** A conversation as one member sees it in their list: its rows and their read state. */
public record ConversationSummary(Conversation conversation, ReadState readState) {
}
