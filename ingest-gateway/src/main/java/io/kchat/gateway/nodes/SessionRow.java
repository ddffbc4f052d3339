package io.kchat.gateway.nodes;

import java.time.Instant;

/** One row of the {@code sessions} table (V2): an open socket of this node's current incarnation. */
record SessionRow(String sessionId, String userId, String deviceId, Instant openedAt) {
}
