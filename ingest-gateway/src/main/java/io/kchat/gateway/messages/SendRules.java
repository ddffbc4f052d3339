package io.kchat.gateway.messages;

/** What both send paths check of a send's content: the ciphertext's shape, then its fit with the conversation. */
public record SendRules(CiphertextParser ciphertexts, ContentRule content) {
}
