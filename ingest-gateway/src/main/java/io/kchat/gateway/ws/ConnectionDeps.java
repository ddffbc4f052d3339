package io.kchat.gateway.ws;

import io.kchat.gateway.auth.AccessTokenVerifier;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/** What every connection of the endpoint shares; built once by {@link ChatWebSocket}. */
record ConnectionDeps(
        WsConfig config, AccessTokenVerifier verifier, UpgradeAuthorization upgrades, ClientFrameParser parser,
        ClientCommands commands, SessionEvents sessionEvents, SessionRegistry registry, SessionDirectory directory,
        ScheduledExecutorService timers, Clock clock) {
}
