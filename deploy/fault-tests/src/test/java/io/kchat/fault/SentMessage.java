package io.kchat.fault;

/** A {@code send} a device made under its idempotency {@code id}; {@code ok} once the gateway answered ok. */
record SentMessage(String id, String conversationId, String body, boolean ok) {
}
