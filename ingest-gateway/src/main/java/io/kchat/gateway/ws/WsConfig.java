package io.kchat.gateway.ws;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings of the WebSocket endpoint, with every default in this one place.
 *
 * @param nodeId              this gateway node: names its egress topic and is carried by its session events
 * @param authTimeout         how long a socket opened without an Authorization header may wait for its auth frame (4002)
 * @param maxBodyChars        longest message body of a {@code send}, in code points
 * @param outboundQueueFrames frames waiting for a slow client before its socket is closed (4010)
 * @param maxFrameBytes       largest client message, fragments included (1009)
 * @param pingInterval        a server ping on a quiet socket: finds dead peers, whose sockets would otherwise stay
 *                            registered because an abrupt disconnect calls no listener
 * @param allowedOrigins      accepted {@code Origin} headers; empty accepts any (the header is optional anyway)
 */
public record WsConfig(
        String nodeId, Duration authTimeout, int maxBodyChars, int outboundQueueFrames, int maxFrameBytes,
        Duration pingInterval, Set<String> allowedOrigins) {

    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_BODY_CHARS = 16 * 1024;
    public static final int DEFAULT_OUTBOUND_QUEUE_FRAMES = 1024;
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);

    public WsConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        if (nodeId.isBlank() || !nodeId.matches("[A-Za-z0-9._-]+")) {
            // the node id is part of a topic name
            throw new IllegalArgumentException("nodeId must be a non-empty [A-Za-z0-9._-] string: " + nodeId);
        }
        requirePositive(authTimeout, "authTimeout");
        requirePositive(pingInterval, "pingInterval");
        if (maxBodyChars < 1 || outboundQueueFrames < 1 || maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxBodyChars, outboundQueueFrames and maxFrameBytes must be >= 1");
        }
        allowedOrigins = Set.copyOf(allowedOrigins);
    }

    public static WsConfig defaults(String nodeId) {
        return new WsConfig(nodeId, DEFAULT_AUTH_TIMEOUT, DEFAULT_MAX_BODY_CHARS, DEFAULT_OUTBOUND_QUEUE_FRAMES,
                DEFAULT_MAX_FRAME_BYTES, DEFAULT_PING_INTERVAL, Set.of());
    }

    /**
     * WS_AUTH_TIMEOUT_MS, WS_MAX_BODY_CHARS, WS_OUTBOUND_QUEUE_FRAMES, WS_MAX_FRAME_BYTES, WS_PING_INTERVAL_MS and
     * WS_ALLOWED_ORIGINS (comma separated), each falling back to its default.
     */
    public static WsConfig fromEnv(Map<String, String> env, String nodeId) {
        WsConfig d = defaults(nodeId);
        String origins = env.getOrDefault("WS_ALLOWED_ORIGINS", "");
        return new WsConfig(nodeId,
                millis(env, "WS_AUTH_TIMEOUT_MS", d.authTimeout()),
                integer(env, "WS_MAX_BODY_CHARS", d.maxBodyChars()),
                integer(env, "WS_OUTBOUND_QUEUE_FRAMES", d.outboundQueueFrames()),
                integer(env, "WS_MAX_FRAME_BYTES", d.maxFrameBytes()),
                millis(env, "WS_PING_INTERVAL_MS", d.pingInterval()),
                Arrays.stream(origins.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .collect(Collectors.toSet()));
    }

    public WsConfig withAuthTimeout(Duration timeout) {
        return new WsConfig(nodeId, timeout, maxBodyChars, outboundQueueFrames, maxFrameBytes, pingInterval,
                allowedOrigins);
    }

    private static Duration millis(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        return value == null ? fallback : Duration.ofMillis(Long.parseLong(value.trim()));
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        return value == null ? fallback : Integer.parseInt(value.trim());
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
