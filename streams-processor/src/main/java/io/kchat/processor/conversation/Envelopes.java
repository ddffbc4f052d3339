package io.kchat.processor.conversation;

import io.kchat.events.ChatMessage;
import io.kchat.events.Ciphertext;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.Envelope;
import io.kchat.events.Member;
import io.kchat.events.MessageUpdate;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Who gets which envelope of an encrypted message. The gateway checked the envelopes against the members' devices
 * when it took the send; membership may have changed since in this partition, and the order here is what counts:
 * an envelope for someone who is no longer a member at the message's place is dropped, never delivered or archived.
 */
final class Envelopes {

    private Envelopes() {
    }

    /**
     * Why content of this kind does not fit the conversation, or null when it does: a ciphertext in an encrypted one,
     * a body in a plain one. The gateway refuses both before they reach Kafka; this is the check in order with the
     * conversation (and the only one for a gateway that did not look), so an encrypted conversation never holds a body.
     *
     * @param doing the action as the refusal words it: "send", "edit with"
     */
    static String kindRefusal(ConversationSnapshot snapshot, Ciphertext ciphertext, String doing) {
        if (snapshot.getEncrypted() && ciphertext == null) {
            return "this conversation is end-to-end encrypted: " + doing + " a ciphertext, not a body";
        }
        if (!snapshot.getEncrypted() && ciphertext != null) {
            return "this conversation is not end-to-end encrypted: " + doing + " a body";
        }
        return null;
    }

    /** The content as sequenced: the envelopes of the snapshot's members only. */
    static Ciphertext forMembers(Ciphertext ciphertext, ConversationSnapshot snapshot) {
        Set<String> members = snapshot.getMembers().stream().map(Member::getUserId).collect(Collectors.toSet());
        return keeping(ciphertext, envelope -> members.contains(envelope.getUserId()));
    }

    /** The copy for one member's log: only the envelopes of that member's devices (API: each device its own). */
    static ChatMessage forRecipient(ChatMessage message, String userId) {
        if (message.getCiphertext() == null) {
            return message;
        }
        return ChatMessage.newBuilder(message)
                .setCiphertext(keeping(message.getCiphertext(), envelope -> envelope.getUserId().equals(userId)))
                .build();
    }

    /** An edit's copy for one member's log, as {@link #forRecipient(ChatMessage, String)}. */
    static MessageUpdate forRecipient(MessageUpdate update, String userId) {
        if (update.getCiphertext() == null) {
            return update;
        }
        return MessageUpdate.newBuilder(update)
                .setCiphertext(keeping(update.getCiphertext(), envelope -> envelope.getUserId().equals(userId)))
                .build();
    }

    private static Ciphertext keeping(Ciphertext ciphertext, Predicate<Envelope> kept) {
        List<Envelope> envelopes = ciphertext.getEnvelopes().stream().filter(kept).toList();
        return new Ciphertext(ciphertext.getAlgorithm(), ciphertext.getSenderDeviceId(), envelopes);
    }
}
