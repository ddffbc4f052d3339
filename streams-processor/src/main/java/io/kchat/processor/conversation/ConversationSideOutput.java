package io.kchat.processor.conversation;

import io.kchat.events.ChatMessage;
import io.kchat.events.MessageUpdate;
import io.kchat.events.Receipt;
import io.kchat.events.UserCommand;

/**
 * What the conversation side emits for a command, one kind per topic ({@link ConversationTopology} routes them):
 * a closed set, so the processor cannot emit a value no branch takes.
 */
sealed interface ConversationSideOutput {

    /** A message given its seq, keyed by conversation: to chat.messages, its metadata to chat.message-meta. */
    record Accepted(ChatMessage message) implements ConversationSideOutput {
    }

    /** An accepted edit, delete or reaction, keyed by conversation: to chat.message-updates and chat.message-meta. */
    record UpdateApplied(MessageUpdate update) implements ConversationSideOutput {
    }

    /** A read or delivered receipt that moved a member's cursor, keyed by conversation: to chat.receipts. */
    record ReceiptApplied(Receipt receipt) implements ConversationSideOutput {
    }

    /** An event for one member's log, keyed by that member: to chat.user-inbound. */
    record ForMember(UserCommand command) implements ConversationSideOutput {
    }
}
