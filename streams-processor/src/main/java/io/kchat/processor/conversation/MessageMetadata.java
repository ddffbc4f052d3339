package io.kchat.processor.conversation;

import io.kchat.events.ChatMessage;
import io.kchat.events.MessageMeta;
import io.kchat.events.MessageUpdate;

/** What {@code chat.message-meta} tells of an accepted message: everything but what its sender wrote or chose. */
final class MessageMetadata {

    private MessageMetadata() {
    }

    /**
     * An accepted edit, delete or reaction: the kind, who made it and an edited body's length; the message's own
     * messageId, as the update concerns that message.
     */
    static MessageMeta of(MessageUpdate update) {
        String body = update.getBody() == null ? "" : update.getBody();
        return new MessageMeta(update.getConversationId(), update.getSeq(),
                ConversationCommandProcessor.messageId(update.getConversationId(), update.getSeq()), update.getUserId(),
                body.codePointCount(0, body.length()), update.getTs(), update.getCiphertext() != null,
                update.getKind(), 0);
    }

    static MessageMeta of(ChatMessage message) {
        String body = message.getBody();
        return new MessageMeta(message.getConversationId(), message.getSeq(), message.getMessageId(),
                message.getSenderId(), body.codePointCount(0, body.length()), message.getTs(),
                message.getCiphertext() != null, null, message.getAttachments().size());
    }
}
