package io.kchat.gateway.ws;

/**
 * Whether a user is a member of a conversation, for the frames that need no processor round trip ({@code typing},
 * {@code assistant_stop}).
 */
@FunctionalInterface
public interface MembershipCheck {

    /** @throws RuntimeException when it cannot tell (database down): the frame is answered {@code internal} */
    boolean isMember(String conversationId, String userId);

    /**
     * Whether the conversation is an assistant one ({@code assistant_stop} names no other). A check that knows no
     * conversation kinds (a test's) knows none to be.
     *
     * @throws RuntimeException when it cannot tell, as {@link #isMember}
     */
    default boolean isAssistant(String conversationId) {
        return false;
    }
}
