package io.kchat.gateway.presence;

/** Users with at least one open WebSocket, and the open WebSockets, across all gateway nodes. */
public record OnlineStats(long users, long connections) {
}
