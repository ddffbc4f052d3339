package io.kchat.gateway.conversations;

/**
 * A conversation as one member sees it in their list: its rows, their read state and their own settings (as they
 * read at the time of the query).
 */
public record ConversationSummary(Conversation conversation, ReadState readState, ConversationSettings settings) {

    /** With the default settings: a conversation just changed, whose settings the answer does not concern. */
    public ConversationSummary(Conversation conversation, ReadState readState) {
        this(conversation, readState, ConversationSettings.DEFAULT);
    }
}
