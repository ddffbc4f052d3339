package io.kchat.gateway.conversations;

/** One member of a conversation. */
public record Membership(String userId, Role role) {
}
