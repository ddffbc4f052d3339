package io.kchat.gateway.messages;

import io.kchat.events.Attachment;
import io.kchat.gateway.errors.Refusal;
import java.util.List;

/** Whether a send may attach the media it names ({@link AttachmentCheck}), asked before the send is published. */
@FunctionalInterface
public interface AttachmentRule {

    /** For wirings without a database: any attachment is refused, a send without one passes. */
    AttachmentRule NONE = (userId, requested) -> {
        if (!requested.isEmpty()) {
            throw Refusal.invalid("attachments not supported", "this server takes no attachments");
        }
        return List.of();
    };

    /**
     * Checks the named media and marks them claimed by a send.
     *
     * @return the attachments as the message carries them, in the send's order (empty for none)
     * @throws Refusal when one of them may not be attached
     */
    List<Attachment> claim(String userId, List<AttachmentRequest> requested);
}
