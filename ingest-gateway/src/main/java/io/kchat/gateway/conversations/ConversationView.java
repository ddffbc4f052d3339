package io.kchat.gateway.conversations;

import java.util.List;

/**
 * A conversation as the API shows it. {@code lastSeq}, {@code readSeq}, {@code unread} and
 * {@code lastMessage} come from the conversation-list projection of the processor's output (D9), which
 * lands with the durable-delivery issue; until then they are 0 and absent.
 */
public record ConversationView(String conversationId, String type, String title, List<MemberView> members,
                               long lastSeq, long readSeq, long unread, Object lastMessage) {

    public record MemberView(String userId, String role) {
    }

    public static ConversationView of(Conversation conversation) {
        return new ConversationView(conversation.conversationId(), conversation.kind().wireName(), conversation.title(),
                conversation.members().stream().map(m -> new MemberView(m.userId(), m.role().wireName())).toList(),
                0, 0, 0, null);
    }
}
