package io.kchat.processor.conversation;

import io.kchat.events.ChatMessage;
import io.kchat.events.MessageMeta;

/** What {@code chat.message-meta} tells of an accepted message: everything but what its sender wrote or chose. */
final class MessageMetadata {

    private MessageMetadata() {
    }

    static MessageMeta of(ChatMessage message) {
        String body = message.getBody();
        return new MessageMeta(message.getConversationId(), message.getSeq(), message.getMessageId(),
                message.getSenderId(), body.codePointCount(0, body.length()), message.getTs(),
                message.getCiphertext() != null, null);
    }
}
