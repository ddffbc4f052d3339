package io.kchat.gateway.messages;

/** Whether a send's content fits its conversation ({@link ContentCheck}), asked before the send is published. */
@FunctionalInterface
public interface ContentRule {

    /**
     * @param ciphertext null for a send with a body
     * @throws io.kchat.gateway.errors.Refusal when it does not fit
     */
    void require(String conversationId, String userId, String deviceId, SealedContent ciphertext);
}
