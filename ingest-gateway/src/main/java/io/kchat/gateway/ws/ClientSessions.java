package io.kchat.gateway.ws;

import io.helidon.websocket.WsSession;
import io.kchat.gateway.observability.GatewayMetrics;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/** Makes the {@link ClientSession} of each socket opened: its outbound queue, quiet ping and counters. */
final class ClientSessions {

    private final int queueFrames;
    private final Duration pingInterval;
    private final ScheduledExecutorService timers;
    private final GatewayMetrics metrics;

    /**
     * @param queueFrames frames queued for a slow client before its socket is closed (4010); also the most events
     *                    held for its session
     */
    ClientSessions(int queueFrames, Duration pingInterval, ScheduledExecutorService timers, GatewayMetrics metrics) {
        this.queueFrames = queueFrames;
        this.pingInterval = pingInterval;
        this.timers = timers;
        this.metrics = metrics;
    }

    /**
     * The session of a socket just opened, not yet started ({@link ClientSession#start()}).
     *
     * @param onEnded called once when the socket stops being written: close sent, socket broken or stopped
     */
    ClientSession open(WsSession socket, Runnable onEnded) {
        return new ClientSession(new Outbound(socket, queueFrames, pingInterval, timers, onEnded), queueFrames,
                metrics);
    }
}
