package io.kchat.gateway.ws;

import io.kchat.gateway.messages.MessageLimits;
import io.kchat.gateway.origins.Origin;
import io.kchat.gateway.origins.OriginPolicy;
import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings of the WebSocket endpoint, with every default in this one place.
 *
 * @param nodeId              this gateway node: names its egress topic and is carried by its session events
 * @param authTimeout         how long a socket opened without an Authorization header may wait for its auth frame (4002)
 * @param maxBodyChars        longest message body of a {@code send}, in code points
 * @param outboundQueueFrames frames waiting for a slow client before its socket is closed (4010); also the most
 *                            events held for a session before and during its replay
 * @param maxFrameBytes       largest client message, fragments included (1009)
 * @param pingInterval        a server ping on a quiet socket: finds dead peers, whose sockets would otherwise stay
 *                            registered because an abrupt disconnect calls no listener
 * @param allowedOrigins      {@code Origin}s accepted besides the gateway's own (see {@link OriginPolicy}), kept
 *                            normalised; empty: only the gateway's own. Never "any": {@code *} is refused
 * @param ackCoalesce         a session produces its highest pending {@code ack} at most this often (and on close);
 *                            zero produces every ack on its own
 * @param typingInterval      a session forwards at most one {@code typing} notice per conversation this often; the
 *                            others are coalesced (see {@link TypingThrottle}); zero forwards every notice
 * @param membershipCacheTtl  how long a membership answer for {@code typing} is reused; zero asks every time
 * @param limits              idle timeout, connections per user and frame rates (see {@link ConnectionLimits})
 */
public record WsConfig(
        String nodeId, Duration authTimeout, int maxBodyChars, int outboundQueueFrames, int maxFrameBytes,
        Duration pingInterval, Set<String> allowedOrigins, Duration ackCoalesce, Duration typingInterval,
        Duration membershipCacheTtl, ConnectionLimits limits) {

    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_BODY_CHARS = MessageLimits.DEFAULT_MAX_BODY_CHARS;
    /**
     * Above the user side's default log bound (10,000 events): a device replaying the whole log gets it in a
     * burst from the egress consumer, faster than a socket drains it. Frames take memory only while the client
     * is behind. A paced replay would let this shrink (docs/status.md).
     */
    public static final int DEFAULT_OUTBOUND_QUEUE_FRAMES = 16 * 1024;
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_ACK_COALESCE = Duration.ofMillis(200);
    public static final Duration DEFAULT_TYPING_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MEMBERSHIP_CACHE_TTL = Duration.ofSeconds(5);

    public WsConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        if (nodeId.isBlank() || !nodeId.matches("[A-Za-z0-9._-]+")) {
            // the node id is part of a topic name
            throw new IllegalArgumentException("nodeId must be a non-empty [A-Za-z0-9._-] string: " + nodeId);
        }
        requirePositive(authTimeout, "authTimeout");
        requirePositive(pingInterval, "pingInterval");
        requireNotNegative(ackCoalesce, "ackCoalesce");
        requireNotNegative(typingInterval, "typingInterval");
        requireNotNegative(membershipCacheTtl, "membershipCacheTtl");
        if (maxBodyChars < 1 || outboundQueueFrames < 1 || maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxBodyChars, outboundQueueFrames and maxFrameBytes must be >= 1");
        }
        // normalised as OriginPolicy compares them; '*' and anything that is not an origin are refused at start
        allowedOrigins = allowedOrigins.stream().map(origin -> Origin.configured(origin).toString())
                .collect(Collectors.toUnmodifiableSet());
        Objects.requireNonNull(limits, "limits");
    }

    public static WsConfig defaults(String nodeId) {
        return new WsConfig(nodeId, DEFAULT_AUTH_TIMEOUT, DEFAULT_MAX_BODY_CHARS, DEFAULT_OUTBOUND_QUEUE_FRAMES,
                DEFAULT_MAX_FRAME_BYTES, DEFAULT_PING_INTERVAL, Set.of(), DEFAULT_ACK_COALESCE,
                DEFAULT_TYPING_INTERVAL, DEFAULT_MEMBERSHIP_CACHE_TTL, ConnectionLimits.defaults());
    }

    public static final Setting<Duration> AUTH_TIMEOUT = Setting.duration("WS_AUTH_TIMEOUT", DEFAULT_AUTH_TIMEOUT,
            "how long a socket opened without a token may wait for its auth frame (4002)").formerlyIn(ChronoUnit.MILLIS);
    public static final Setting<Integer> OUTBOUND_QUEUE_FRAMES = Setting.integer("WS_OUTBOUND_QUEUE_FRAMES",
            DEFAULT_OUTBOUND_QUEUE_FRAMES, "frames waiting for a slow client before its socket is closed (4010)");
    public static final Setting<Integer> MAX_FRAME_BYTES = Setting.integer("WS_MAX_FRAME_BYTES",
            DEFAULT_MAX_FRAME_BYTES, "largest client message, fragments included (1009)");
    public static final Setting<Duration> PING_INTERVAL = Setting.duration("WS_PING_INTERVAL", DEFAULT_PING_INTERVAL,
            "a server ping on a quiet socket, which finds dead peers").formerlyIn(ChronoUnit.MILLIS);
    /**
     * Origins ({@code scheme://host[:port]}, e.g. {@code https://chat.example.com}) that may open sockets besides
     * the gateway's own; unset or empty, only the gateway's own may.
     */
    public static final Setting<List<String>> ALLOWED_ORIGINS = Setting.list("WS_ALLOWED_ORIGINS",
            "origins that may open sockets besides the gateway's own");
    public static final Setting<Duration> ACK_COALESCE = Setting.duration("WS_ACK_COALESCE", DEFAULT_ACK_COALESCE,
            "a session produces its highest pending ack at most this often; 0ms: every ack")
            .formerlyIn(ChronoUnit.MILLIS);
    public static final Setting<Duration> TYPING_INTERVAL = Setting.duration("WS_TYPING_INTERVAL",
            DEFAULT_TYPING_INTERVAL, "typing notices forwarded per session and conversation at most this often")
            .formerlyIn(ChronoUnit.MILLIS);
    public static final Setting<Duration> MEMBERSHIP_CACHE = Setting.duration("WS_MEMBERSHIP_CACHE",
            DEFAULT_MEMBERSHIP_CACHE_TTL, "how long a membership answer for typing is reused")
            .formerlyIn(ChronoUnit.MILLIS);

    public static List<Setting<?>> settings() {
        List<Setting<?>> all = new ArrayList<>(List.of(AUTH_TIMEOUT, OUTBOUND_QUEUE_FRAMES, MAX_FRAME_BYTES,
                PING_INTERVAL, ALLOWED_ORIGINS, ACK_COALESCE, TYPING_INTERVAL, MEMBERSHIP_CACHE));
        all.addAll(ConnectionLimits.settings());
        return List.copyOf(all);
    }

    /** The endpoint's settings; {@code maxBodyChars} is the one limit of both send paths, read by the gateway. */
    public static WsConfig from(Settings settings, String nodeId, int maxBodyChars) {
        return new WsConfig(nodeId, settings.get(AUTH_TIMEOUT), maxBodyChars, settings.get(OUTBOUND_QUEUE_FRAMES),
                settings.get(MAX_FRAME_BYTES), settings.get(PING_INTERVAL), Set.copyOf(settings.get(ALLOWED_ORIGINS)),
                settings.get(ACK_COALESCE), settings.get(TYPING_INTERVAL), settings.get(MEMBERSHIP_CACHE),
                ConnectionLimits.from(settings));
    }


    public WsConfig withAuthTimeout(Duration timeout) {
        return new WsConfig(nodeId, timeout, maxBodyChars, outboundQueueFrames, maxFrameBytes, pingInterval,
                allowedOrigins, ackCoalesce, typingInterval, membershipCacheTtl, limits);
    }

    public WsConfig withLimits(int bodyChars, int queueFrames) {
        return new WsConfig(nodeId, authTimeout, bodyChars, queueFrames, maxFrameBytes, pingInterval,
                allowedOrigins, ackCoalesce, typingInterval, membershipCacheTtl, limits);
    }

    public WsConfig withAckCoalesce(Duration interval) {
        return new WsConfig(nodeId, authTimeout, maxBodyChars, outboundQueueFrames, maxFrameBytes, pingInterval,
                allowedOrigins, interval, typingInterval, membershipCacheTtl, limits);
    }

    public WsConfig withAllowedOrigins(Set<String> origins) {
        return new WsConfig(nodeId, authTimeout, maxBodyChars, outboundQueueFrames, maxFrameBytes, pingInterval,
                origins, ackCoalesce, typingInterval, membershipCacheTtl, limits);
    }

    public WsConfig withConnectionLimits(ConnectionLimits value) {
        return new WsConfig(nodeId, authTimeout, maxBodyChars, outboundQueueFrames, maxFrameBytes, pingInterval,
                allowedOrigins, ackCoalesce, typingInterval, membershipCacheTtl, value);
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private static void requireNotNegative(Duration duration, String name) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }
}
