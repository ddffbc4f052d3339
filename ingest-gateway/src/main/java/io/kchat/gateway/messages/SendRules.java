package io.kchat.gateway.messages;

/**
 * What both send paths check of a send's content: the ciphertext's shape, then its fit with the conversation, then the
 * media it attaches.
 */
public record SendRules(CiphertextParser ciphertexts, ContentRule content, AttachmentRule attachments) {

    /** Without a database to check media against: sends with attachments are refused. */
    public SendRules(CiphertextParser ciphertexts, ContentRule content) {
        this(ciphertexts, content, AttachmentRule.NONE);
    }
}
