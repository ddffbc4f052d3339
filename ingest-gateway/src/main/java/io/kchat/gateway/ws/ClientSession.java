package io.kchat.gateway.ws;

import io.helidon.common.buffers.BufferData;
import io.kchat.events.SessionRevoked;
import io.kchat.gateway.observability.GatewayMetrics;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket as the rest of the endpoint sees it: who it speaks for once authenticated, everything it sends (through
 * its one {@link Outbound}, counted), the client frames it has in flight ({@link FramesInFlight}), what the user side
 * routes to it (put in order by {@link OrderedDelivery}) and when it is due for a check ({@link CheckSchedule}).
 */
final class ClientSession {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    private final Outbound outbound;
    private final int maxHeldItems;
    private final GatewayMetrics metrics;
    private final FramesInFlight frames = new FramesInFlight();
    private final CheckSchedule checks = new CheckSchedule();
    private volatile SessionIdentity identity;
    private volatile Instant expiresAt = Instant.MAX;
    private volatile AckCoalescer acks;
    private volatile TypingThrottle typing;
    private volatile OrderedDelivery delivery;

    /** @param maxHeldItems events held for the session before and during its replay, or behind a hole */
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
        this.delivery = new OrderedDelivery(this, who, ackCoalescer, maxHeldItems, metrics);
        this.identity = who;
    }

    /** A fresh token for the same device moves the expiry. */
    void extend(Instant tokenExpiresAt) {
        this.expiresAt = tokenExpiresAt;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    /** Starts its quiet ping; frames may be sent before. */
    void start() {
        outbound.start();
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

    /** See {@link FramesInFlight#take()}. */
    boolean frameTaken() {
        return frames.take();
    }

    void frameAnswered() {
        frames.answered();
    }

    /** The node drains: no frame is taken from now on. Returns the frames still waiting for their answer. */
    int stopTakingFrames() {
        return frames.stopTaking();
    }

    int framesInFlight() {
        return frames.count();
    }

    /**
     * A cumulative {@code ack}: refused when above the highest userSeq this session has sent (or the device's
     * cursor at replay start), since the user side would otherwise drop events the device never got.
     */
    void ack(long userSeq, String ref) {
        long sent = delivery.lastSent();
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

    /** An item of a Delivery routed to this (authenticated) session. */
    void deliver(Object item) {
        if (!EventFrames.isEphemeral(item)) {
            // typing, presence and assistant streams come from the delivery-service's directory, the rest from the
            // user side
            checks.routed(System.nanoTime());
        }
        if (item instanceof SessionRevoked) {
            // logout, password change or refresh reuse, possibly on another node: no more frames, close now
            close(CloseCodes.REVOKED, "session revoked");
        } else {
            delivery.deliver(item);
        }
    }

    /** SessionOpened was published: the user side knows the session from now on, and checks may start. */
    void opened() {
        checks.opened(System.nanoTime());
    }

    /** Its directory row was reaped while it was open and has been written again: check it at the next round. */
    void requestCheck() {
        checks.requestCheck();
    }

    /**
     * What a check of this session would say, if one is due at {@code nowNanos} (see {@link CheckSchedule}); empty
     * while SessionOpened is not published, and once the session is closing or given up.
     */
    Optional<SessionCheck> checkDue(long nowNanos, long intervalNanos) {
        OrderedDelivery current = delivery;
        if (current == null || isClosing()) {
            return Optional.empty();
        }
        OrderedDelivery.Position position = current.position();
        return switch (checks.due(nowNanos, intervalNanos, position)) {
            case NOT_DUE -> Optional.empty();
            case DUE -> Optional.of(new SessionCheck(identity, position.synced(), position.receivedUpTo()));
            case GIVE_UP -> {
                log.warn("session {} still lacks userSeq {} after {} checks: closing it", identity.sessionId(),
                        position.receivedUpTo() + 1, CheckSchedule.MAX_FRUITLESS_CHECKS);
                close(CloseCodes.INTERNAL, "events lost on the way, please reconnect");
                yield Optional.empty();
            }
        };
    }

    /**
     * A check of one session: whether its replay completed ({@code synced}), and the highest userSeq it holds without
     * a hole (its device's cursor at replay start included).
     */
    record SessionCheck(SessionIdentity who, boolean synced, long receivedUpTo) {
    }
}
