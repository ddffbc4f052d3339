package io.kchat.gateway.ws;

import io.kchat.gateway.limits.RateLimit;
import io.kchat.gateway.limits.RateLimitSetting;
import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What one client may do to the endpoint, with every default in this one place. The defaults are generous for a
 * person typing; a benchmark profile raises them through the environment, never in code.
 *
 * @param idleTimeout           a socket from which nothing was heard (no frame, no ping, no pong) this long is
 *                              closed with 4008; halfway through, the server pings it, which a live client answers
 * @param maxConnectionsPerUser authenticated sockets of one user on this node; one more is closed with 4011 (the same
 *                              device connecting again replaces its socket and does not count)
 * @param perConnection         client frames of one socket ({@code ack} excepted: cumulative and coalesced)
 * @param perUser               client frames of all sockets of one user on this node
 * @param refusals              {@code rate_limited} answers a socket may collect; past them it is closed with 1008
 */
public record ConnectionLimits(Duration idleTimeout, int maxConnectionsPerUser, RateLimit perConnection,
                               RateLimit perUser, RateLimit refusals) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);
    public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 10;
    /**
     * Far above typing speed on average; the burst lets a client flush an outbox of ~100 messages queued while it
     * was offline (the end-to-end tests pipeline 100 sends on one socket) without being refused.
     */
    public static final RateLimit DEFAULT_PER_CONNECTION = new RateLimit(20, 120);
    public static final RateLimit DEFAULT_PER_USER = new RateLimit(50, 150);
    /** A client that slows down when told is never closed; one that keeps flooding is, within a second or two. */
    public static final RateLimit DEFAULT_REFUSALS = new RateLimit(1, 40);

    public ConnectionLimits {
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
        if (maxConnectionsPerUser < 1) {
            throw new IllegalArgumentException("maxConnectionsPerUser must be >= 1: " + maxConnectionsPerUser);
        }
        if (perConnection == null || perUser == null || refusals == null) {
            throw new IllegalArgumentException("rate limits are required");
        }
    }

    public static ConnectionLimits defaults() {
        return new ConnectionLimits(DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS_PER_USER, DEFAULT_PER_CONNECTION,
                DEFAULT_PER_USER, DEFAULT_REFUSALS);
    }

    public static final Setting<Duration> IDLE_TIMEOUT = Setting.duration("WS_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT,
                    "a socket silent this long is closed with 4008")
            .formerlyIn(ChronoUnit.MILLIS);
    public static final Setting<Integer> MAX_CONNECTIONS_PER_USER = Setting.integer("WS_MAX_CONNECTIONS_PER_USER",
            DEFAULT_MAX_CONNECTIONS_PER_USER, "sockets of one user on one node; one more is closed with 4011");
    public static final RateLimitSetting PER_CONNECTION = RateLimitSetting.of("WS_RATE_PER_CONNECTION",
            DEFAULT_PER_CONNECTION, "client frames of one socket");
    public static final RateLimitSetting PER_USER = RateLimitSetting.of("WS_RATE_PER_USER", DEFAULT_PER_USER,
            "client frames of all sockets of one user on one node");
    public static final RateLimitSetting REFUSALS = RateLimitSetting.of("WS_RATE_REFUSALS", DEFAULT_REFUSALS,
            "rate_limited answers a socket may collect before it is closed with 1008");

    public static List<Setting<?>> settings() {
        List<Setting<?>> all = new ArrayList<>(List.of(IDLE_TIMEOUT, MAX_CONNECTIONS_PER_USER));
        for (RateLimitSetting rate : List.of(PER_CONNECTION, PER_USER, REFUSALS)) {
            all.addAll(rate.settings());
        }
        return List.copyOf(all);
    }

    public static ConnectionLimits from(Settings settings) {
        return new ConnectionLimits(settings.get(IDLE_TIMEOUT), settings.get(MAX_CONNECTIONS_PER_USER),
                PER_CONNECTION.read(settings), PER_USER.read(settings), REFUSALS.read(settings));
    }

    public ConnectionLimits withIdleTimeout(Duration value) {
        return new ConnectionLimits(value, maxConnectionsPerUser, perConnection, perUser, refusals);
    }

    public ConnectionLimits withMaxConnectionsPerUser(int value) {
        return new ConnectionLimits(idleTimeout, value, perConnection, perUser, refusals);
    }

    public ConnectionLimits withRates(RateLimit connection, RateLimit user, RateLimit refused) {
        return new ConnectionLimits(idleTimeout, maxConnectionsPerUser, connection, user, refused);
    }
}
