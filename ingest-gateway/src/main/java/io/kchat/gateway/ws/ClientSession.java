package io.kchat.gateway.ws;

import io.helidon.common.buffers.BufferData;
import io.kchat.events.LoggedEvent;
import io.kchat.events.ReplayFinished;
import io.kchat.events.ReplayGap;
import io.kchat.events.ReplayStarted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket's view of its user's stream (D4): nothing is sent before {@code ready}, replayed and live events
 * leave in userSeq order, and an event at or below the last userSeq written is a redelivery and dropped.
 * Items come from the egress thread; frames of every origin go through the one {@link Outbound}.
 */
final class ClientSession {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    private final Outbound outbound;
    private final int maxHeldItems;
    private volatile SessionIdentity identity;
    private volatile Instant expiresAt = Instant.MAX;

    // replay state, guarded by this
    private boolean started;
    private boolean synced;
    private long lastUserSeq;
    private final List<Object> held = new ArrayList<>();

    ClientSession(Outbound outbound, int maxHeldItems) {
        this.outbound = outbound;
        this.maxHeldItems = maxHeldItems;
    }

    /** Null until the socket authenticated. */
    SessionIdentity identity() {
        return identity;
    }

    void authenticated(SessionIdentity who, Instant tokenExpiresAt) {
        this.expiresAt = tokenExpiresAt;
        this.identity = who;
    }

    /** A fresh token for the same device moves the expiry. */
    void extend(Instant tokenExpiresAt) {
        this.expiresAt = tokenExpiresAt;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    void send(ServerFrame frame) {
        outbound.send(FrameJson.write(frame));
    }

    void pong(BufferData payload) {
        outbound.pong(payload);
    }

    void close(int code, String reason) {
        outbound.close(code, reason);
    }

    /** The socket is gone: stop writing without a close frame. */
    void stop() {
        outbound.stop();
    }

    boolean isClosing() {
        return outbound.isClosing();
    }

    /** An item of a Delivery routed to this session. */
    synchronized void deliver(Object item) {
        if (!started && !(item instanceof ReplayStarted)) {
            hold(item);
            return;
        }
        switch (item) {
            case ReplayStarted start -> start(start);
            case ReplayFinished finished -> {
                if (!synced) {
                    synced = true;
                    send(new ServerFrame.Synced(finished.getUserSeq()));
                }
            }
            case ReplayGap gap -> send(new ServerFrame.Gap(gap.getOldestUserSeq()));
            case LoggedEvent event -> event(event);
            default -> log.warn("dropping unknown delivery item {}", item.getClass().getName());
        }
    }

    private void start(ReplayStarted start) {
        if (started) {
            return; // a repeat after a redelivery: ready was sent
        }
        started = true;
        lastUserSeq = Math.max(lastUserSeq, start.getAckedUserSeq());
        SessionIdentity who = identity;
        send(new ServerFrame.Ready(who.userId(), who.deviceId(), who.sessionId(), start.getAckedUserSeq()));
        List<Object> early = List.copyOf(held);
        held.clear();
        early.forEach(this::deliver);
    }

    private void event(LoggedEvent event) {
        if (event.getUserSeq() <= lastUserSeq) {
            return;
        }
        lastUserSeq = event.getUserSeq();
        ServerFrame frame;
        try {
            frame = EventFrames.render(event);
        } catch (RuntimeException e) {
            log.warn("cannot render event userSeq {} for session {}", event.getUserSeq(), identity.sessionId(), e);
            return;
        }
        send(frame);
    }

    private void hold(Object item) {
        if (held.size() >= maxHeldItems) {
            close(Outbound.TOO_SLOW, "too many events before the replay started");
            return;
        }
        held.add(item);
    }
}
