package io.kchat.gateway.messages;

/**
 * One reaction key on a message as a member sees it: how many members reacted with it, and whether the caller is one
 * of them ({@code me}).
 */
public record ReactionView(String key, long count, boolean me) {
}
