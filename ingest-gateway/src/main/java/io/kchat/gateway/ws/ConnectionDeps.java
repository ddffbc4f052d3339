package io.kchat.gateway.ws;

import io.kchat.gateway.auth.AccessTokenVerifier;
import io.kchat.gateway.observability.GatewayMetrics;
import io.kchat.gateway.limits.KeyedRateLimiter;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/** What every connection of the endpoint shares; built once by {@link ChatWebSocket}. */
record ConnectionDeps(
        WsConfig config, AccessTokenVerifier verifier, UpgradeAuthorization upgrades, ClientFrameParser parser,
        ClientCommands commands, SessionEvents sessionEvents, SessionRegistry registry, SessionDirectory directory,
        ScheduledExecutorService timers, KeyedRateLimiter<String> userRates, OpenSockets sockets, GatewayMetrics metrics,
        Clock clock) {

    /** The rate limits of one new connection, sharing the per-user buckets. */
    FrameRateLimits frameRateLimits() {
        return new FrameRateLimits(config.limits(), userRates, clock);
    }
}
