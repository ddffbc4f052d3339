package io.kchat.gateway.conversations;

import io.kchat.gateway.messages.MessageView;
import java.util.List;

/**
 * A conversation as the API shows it. {@code avatarMediaId} is a group's avatar (absent when none); {@code lastSeq},
 * {@code readSeq}, {@code unread} and {@code lastMessage} (absent when none is archived) are the caller's
 * {@link ReadState}; {@code settings} the caller's own {@link ConversationSettings}.
 */
public record ConversationView(String conversationId, String type, String title, String avatarMediaId,
                               List<MemberView> members, boolean encrypted, long lastSeq, long readSeq, long unread,
                               MessageView lastMessage, ConversationSettings settings) {

    public record MemberView(String userId, String role) {
    }

    /** A conversation just created: nothing said in it yet. */
    public static ConversationView of(Conversation conversation) {
        return of(conversation, ReadState.EMPTY);
    }

    public static ConversationView of(ConversationSummary summary) {
        return of(summary.conversation(), summary.readState(), summary.settings());
    }

    public static ConversationView of(Conversation conversation, ReadState state) {
        return of(conversation, state, ConversationSettings.DEFAULT);
    }

    public static ConversationView of(Conversation conversation, ReadState state, ConversationSettings settings) {
        return new ConversationView(conversation.conversationId(), conversation.kind().wireName(), conversation.title(),
                conversation.avatarMediaId(),
                conversation.members().stream().map(m -> new MemberView(m.userId(), m.role().wireName())).toList(),
                conversation.encrypted(), state.lastSeq(), state.readSeq(), state.unread(), state.lastMessage(), settings);
    }
}
