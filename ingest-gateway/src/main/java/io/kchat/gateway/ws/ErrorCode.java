package io.kchat.gateway.ws;

import java.util.Locale;

/** Machine-readable codes of WebSocket {@code error} frames (docs/api.md conventions). */
enum ErrorCode {
    BAD_REQUEST, FORBIDDEN, NOT_FOUND, CONFLICT, NOT_IMPLEMENTED, RATE_LIMITED, INTERNAL;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
