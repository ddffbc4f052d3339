package io.kchat.gateway.ws;

/** Whether a user is a member of a conversation, for the frames that need no processor round trip (typing). */
@FunctionalInterface
public interface MembershipCheck {

    /** @throws RuntimeException when it cannot tell (database down): the frame is answered {@code internal} */
    boolean isMember(String conversationId, String userId);
}
