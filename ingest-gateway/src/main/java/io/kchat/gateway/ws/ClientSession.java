package io.kchat.gateway.ws;

import io.helidon.common.buffers.BufferData;
import io.kchat.events.ChatMessage;
import io.kchat.events.LoggedEvent;
import io.kchat.events.ReplayFinished;
import io.kchat.events.ReplayGap;
import io.kchat.events.ReplayStarted;
import io.kchat.events.SessionRevoked;
import io.kchat.gateway.observability.GatewayMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket's view of its user's stream (D4). Items come from the egress thread; frames of every origin go
 * through the one {@link Outbound}.
 *
 * <ul>
 *   <li>Nothing is sent before {@code ready}: items arriving before ReplayStarted are held (ephemeral ones,
 *       typing and presence, are dropped: they are for sessions open now).</li>
 *   <li>Between ReplayStarted and ReplayFinished the replay streams: an event that is the next one the
 *       device needs (its cursor + 1, or the oldest kept after a {@code gap}) leaves at once, so a replay of
 *       the whole bounded log never has to fit in memory. Any other event (a live one that arrived during
 *       the replay) is held by userSeq. ReplayFinished names the last replayed userSeq: what is held up to
 *       it leaves in order, then {@code synced}, then the live ones. A live event is never sent ahead of a
 *       queued one, nor before {@code synced}.</li>
 *   <li>An event at or below the highest userSeq the device has (its cursor at replay start, then every
 *       event sent) is a redelivery (the delivery path is at-least-once) and dropped.</li>
 *   <li>Once synced, events leave in userSeq order without a hole: the user side sends a session every event
 *       of its user after the replay, so an event beyond a missing one means the missing one was lost on the
 *       way. It is held, and the session is checked ({@link SessionChecks}), whose answer re-sends it.</li>
 *   <li>Ephemeral items are sent as they come once {@code ready} was sent: they carry no userSeq and are
 *       ordered with nothing.</li>
 * </ul>
 *
 * <p>What the checks need is tracked here: when the user side last reached this session, since when an event
 * waits behind a hole, and what the socket holds without a hole.
 */
final class ClientSession {

    /**
     * Checks sent in a row, with no progress in between, while the replay is incomplete or an event waits behind a
     * hole: past this the session is closed (1011) and its client reconnects.
     */
    static final int MAX_FRUITLESS_CHECKS = 3;

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    private final Outbound outbound;
    private final int maxHeldItems;
    private final GatewayMetrics metrics;
    private volatile SessionIdentity identity;
    private volatile Instant expiresAt = Instant.MAX;
    private volatile AckCoalescer acks;
    private volatile TypingThrottle typing;

    // client frames taken and not yet answered, guarded by frameLock (not this: deliveries hold this)
    private final Object frameLock = new Object();
    private int framesInFlight;
    private boolean takingFrames = true;

    // stream state, guarded by this
    private boolean started;
    private boolean synced;
    private long lastUserSeq;
    /** During the replay: the userSeq the device needs next. */
    private long nextReplayed;
    /** The last userSeq of the replay: what is above was live when it arrived. */
    private long replayedUpTo = Long.MAX_VALUE;
    private final List<Object> early = new ArrayList<>();
    /** Events that cannot leave yet: live ones during the replay, and once synced those behind a hole. */
    private final NavigableMap<Long, LoggedEvent> replaying = new TreeMap<>();

    // what the checks look at, guarded by this; System.nanoTime() values
    private boolean opened;
    private boolean checkRequested;
    private long lastRoutedNanos;
    private long lastCheckNanos;
    /** Since when an event waits behind a missing one (synced sessions only); 0: none waits. */
    private long holeSinceNanos;
    /** Checks in a row sent while its replay was incomplete or a hole open, with no progress in between. */
    private int fruitlessChecks;
    private long heldAtLastCheck;

    ClientSession(Outbound outbound, int maxHeldItems, GatewayMetrics metrics) {
        this.outbound = outbound;
        this.maxHeldItems = maxHeldItems;
        this.metrics = metrics;
    }

    /** Null until the socket authenticated. */
    SessionIdentity identity() {
        return identity;
    }

    void authenticated(SessionIdentity who, Instant tokenExpiresAt, AckCoalescer ackCoalescer,
                       TypingThrottle typingThrottle) {
        this.expiresAt = tokenExpiresAt;
        this.acks = ackCoalescer;
        this.typing = typingThrottle;
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
        if (outbound.send(FrameJson.write(frame))) {
            metrics.frameOut(frame.type());
            if (frame instanceof ServerFrame.Error error) {
                metrics.error("ws", error.code());
            }
        }
    }

    void pong(BufferData payload) {
        outbound.pong(payload);
    }

    void ping() {
        outbound.ping();
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

    /**
     * Counts a client frame in until {@link #frameAnswered()}; false once the node drains (the frame is then
     * refused, not taken).
     */
    boolean frameTaken() {
        synchronized (frameLock) {
            if (!takingFrames) {
                return false;
            }
            framesInFlight++;
            return true;
        }
    }

    /** The answer of a taken frame ({@code ok} or {@code error}) is queued, or none is due. */
    void frameAnswered() {
        synchronized (frameLock) {
            framesInFlight--;
        }
    }

    /** The node drains: no frame is taken from now on. Returns the frames still waiting for their answer. */
    int stopTakingFrames() {
        synchronized (frameLock) {
            takingFrames = false;
            return framesInFlight;
        }
    }

    int framesInFlight() {
        synchronized (frameLock) {
            return framesInFlight;
        }
    }

    /**
     * A cumulative {@code ack}: refused when above the highest userSeq this session has sent (or the device's
     * cursor at replay start), since the user side would otherwise drop events the device never got.
     */
    void ack(long userSeq, String ref) {
        long sent;
        synchronized (this) {
            sent = lastUserSeq;
        }
        if (userSeq > sent) {
            send(ServerFrame.Error.of(ref, null, ErrorCode.BAD_REQUEST,
                    "userSeq " + userSeq + " was not sent on this socket (last sent: " + sent + ")"));
            return;
        }
        acks.ack(userSeq, ref);
    }

    /** A {@code typing} notice of a member, throttled per conversation. */
    void typing(String conversationId, boolean active, String ref) {
        typing.notice(conversationId, active, ref);
    }

    /** The socket ended: the pending ack is produced now, pending typing notices are dropped. */
    void ended() {
        AckCoalescer ackCoalescer = acks;
        if (ackCoalescer != null) {
            ackCoalescer.close();
        }
        TypingThrottle typingThrottle = typing;
        if (typingThrottle != null) {
            typingThrottle.close();
        }
    }

    /** An item of a Delivery routed to this session. */
    synchronized void deliver(Object item) {
        if (!EventFrames.isEphemeral(item)) {
            // typing and presence come from the delivery-service's directory, the rest from the user side
            lastRoutedNanos = System.nanoTime();
        }
        if (item instanceof ReplayStarted start) {
            start(start);
        } else if (item instanceof SessionRevoked) {
            // logout, password change or refresh reuse, possibly on another node: no more frames, close now
            close(SessionRegistry.REVOKED, "session revoked");
        } else if (EventFrames.isEphemeral(item)) {
            ephemeral(item);
        } else if (!started) {
            hold(item);
        } else {
            switch (item) {
                case LoggedEvent event -> event(event);
                case ReplayFinished finished -> finish(finished);
                case ReplayGap gap -> gap(gap);
                default -> log.warn("dropping unknown delivery item {} for session {}", item.getClass().getName(),
                        identity.sessionId());
            }
        }
    }

    private void start(ReplayStarted start) {
        if (started) {
            return; // a repeat after a redelivery: ready was sent
        }
        started = true;
        lastUserSeq = Math.max(lastUserSeq, start.getAckedUserSeq());
        nextReplayed = lastUserSeq + 1;
        acks.durableAt(start.getAckedUserSeq());
        SessionIdentity who = identity;
        send(new ServerFrame.Ready(who.userId(), who.deviceId(), who.sessionId(), start.getAckedUserSeq()));
        List<Object> held = List.copyOf(early);
        early.clear();
        held.forEach(this::deliver);
    }

    private void event(LoggedEvent event) {
        if (event.getUserSeq() <= lastUserSeq) {
            return;
        }
        if (synced) {
            if (event.getUserSeq() == lastUserSeq + 1) {
                sendEvent(event);
                sendHeldInOrder();
            } else {
                holdBehindHole(event);
            }
        } else if (event.getUserSeq() == nextReplayed) {
            // Not chained with what is held: a held event may be live (beyond the replay) and waits for synced.
            sendEvent(event);
            nextReplayed = event.getUserSeq() + 1;
        } else if (replaying.size() >= maxHeldItems) {
            close(Outbound.TOO_SLOW, "too many live events during the replay");
        } else {
            replaying.putIfAbsent(event.getUserSeq(), event);
        }
    }

    private void finish(ReplayFinished finished) {
        if (synced) {
            return; // a repeat after a redelivery
        }
        // what the replay brought out of order; the live events above it wait for synced
        sendFollowing(replaying.headMap(finished.getUserSeq(), true));
        if (lastUserSeq < finished.getUserSeq()) {
            // part of the replay was lost on the way: not synced yet; the check (synced: false) has it sent again
            if (holeSinceNanos == 0) {
                holeSinceNanos = System.nanoTime();
            }
            log.debug("session {} lacks userSeq {} of its replay", identity.sessionId(), lastUserSeq + 1);
            return;
        }
        synced = true;
        replayedUpTo = finished.getUserSeq();
        send(new ServerFrame.Synced(finished.getUserSeq()));
        sendHeldInOrder();
    }

    private void gap(ReplayGap gap) {
        long oldest = gap.getOldestUserSeq();
        if (!synced || oldest - 1 > lastUserSeq) {
            send(new ServerFrame.Gap(oldest));
        }
        // what lies below the oldest event kept is gone for this device: it resyncs that from REST
        lastUserSeq = Math.max(lastUserSeq, oldest - 1);
        nextReplayed = Math.max(nextReplayed, oldest);
        if (synced) {
            sendHeldInOrder(); // a check's answer
        }
    }

    /** Synced: sends what is held as far as it follows on without a hole; what stays waits for a check. */
    private void sendHeldInOrder() {
        sendFollowing(replaying);
        holeSinceNanos = replaying.isEmpty() ? 0 : holeSinceNanos == 0 ? System.nanoTime() : holeSinceNanos;
    }

    /** Sends, and takes out of {@code held}, the events that follow on from the last one sent without a hole. */
    private void sendFollowing(NavigableMap<Long, LoggedEvent> held) {
        while (!held.isEmpty() && held.firstKey() <= lastUserSeq + 1) {
            sendEvent(held.pollFirstEntry().getValue());
        }
    }

    private void holdBehindHole(LoggedEvent event) {
        if (replaying.size() >= maxHeldItems) {
            close(Outbound.TOO_SLOW, "too many events behind a missing one");
            return;
        }
        replaying.putIfAbsent(event.getUserSeq(), event);
        if (holeSinceNanos == 0) {
            holeSinceNanos = System.nanoTime();
            log.debug("session {} holds userSeq {} behind a missing {}", identity.sessionId(), event.getUserSeq(),
                    lastUserSeq + 1);
        }
    }

    /** SessionOpened was published: the user side knows the session from now on, and checks may start. */
    synchronized void opened() {
        opened = true;
        lastRoutedNanos = System.nanoTime();
        lastCheckNanos = lastRoutedNanos;
    }

    /** Its directory row was reaped while it was open and has been written again: check it at the next round. */
    synchronized void requestCheck() {
        checkRequested = true;
    }

    /**
     * What a check of this session would say, if one is due at {@code nowNanos}: when the user side has not reached
     * it for {@code intervalNanos} (nothing routed, or an event held behind a hole that long), at most once an
     * interval; or at once when {@link #requestCheck() requested}. Empty while SessionOpened is not published.
     */
    synchronized Optional<SessionCheck> checkDue(long nowNanos, long intervalNanos) {
        if (!opened || isClosing()) {
            return Optional.empty();
        }
        boolean waited = nowNanos - lastRoutedNanos >= intervalNanos
                || holeSinceNanos != 0 && nowNanos - holeSinceNanos >= intervalNanos;
        if (!checkRequested && !(waited && nowNanos - lastCheckNanos >= intervalNanos)) {
            return Optional.empty();
        }
        checkRequested = false;
        lastCheckNanos = nowNanos;
        boolean waiting = !synced || holeSinceNanos != 0;
        fruitlessChecks = waiting && lastUserSeq == heldAtLastCheck ? fruitlessChecks + 1 : 0;
        heldAtLastCheck = lastUserSeq;
        if (fruitlessChecks > MAX_FRUITLESS_CHECKS) {
            // the user side sends what a check finds missing once more, no more (it cannot tell lost from late);
            // if that was lost too, a new session's replay is the way left
            log.warn("session {} still lacks userSeq {} after {} checks: closing it", identity.sessionId(),
                    lastUserSeq + 1, MAX_FRUITLESS_CHECKS);
            close(ChatWsListener.INTERNAL, "events lost on the way, please reconnect");
            return Optional.empty();
        }
        return Optional.of(new SessionCheck(identity, synced, lastUserSeq));
    }

    /**
     * A check of one session: whether its replay completed ({@code synced}), and the highest userSeq it holds without
     * a hole (its device's cursor at replay start included).
     */
    record SessionCheck(SessionIdentity who, boolean synced, long receivedUpTo) {
    }

    private void sendEvent(LoggedEvent event) {
        if (event.getUserSeq() <= lastUserSeq) {
            return;
        }
        lastUserSeq = event.getUserSeq();
        // on the egress thread, under the correlation id of the record that brought the event
        log.debug("pushing userSeq {} to session {}", event.getUserSeq(), identity.sessionId());
        if (synced && event.getUserSeq() > replayedUpTo && event.getEvent().getPayload() instanceof ChatMessage m) {
            metrics.delivered(m.getTs());
        }
        EventFrames.render(event).ifPresentOrElse(this::send, () -> log.warn(
                "skipping event userSeq {} for session {}: unknown payload {}", event.getUserSeq(),
                identity.sessionId(), typeOf(event.getEvent().getPayload())));
    }

    private void ephemeral(Object item) {
        if (!started) {
            return; // stale by the time ready is sent
        }
        EventFrames.ephemeral(item).ifPresent(this::send);
    }

    private static String typeOf(Object payload) {
        return payload == null ? "null" : payload.getClass().getName();
    }

    private void hold(Object item) {
        if (early.size() >= maxHeldItems) {
            close(Outbound.TOO_SLOW, "too many events before the replay started");
            return;
        }
        early.add(item);
    }
}
