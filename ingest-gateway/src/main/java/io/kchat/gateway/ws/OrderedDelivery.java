package io.kchat.gateway.ws;

import io.kchat.events.ChatMessage;
import io.kchat.events.LoggedEvent;
import io.kchat.events.ReplayFinished;
import io.kchat.events.ReplayGap;
import io.kchat.events.ReplayStarted;
import io.kchat.gateway.observability.GatewayMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated socket's view of its user's stream (D4): the items routed to its session, sent in the order its
 * device must see them. Items come from the egress thread.
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
 *       way. It is held until a check of the session ({@link SessionChecks}) has it sent again.</li>
 *   <li>Ephemeral items are sent as they come once {@code ready} was sent: they carry no userSeq and are
 *       ordered with nothing.</li>
 * </ul>
 */
final class OrderedDelivery {

    /**
     * What a check of the session reports: whether its replay completed, the highest userSeq it holds without a hole
     * (its device's cursor at replay start included), since when an event waits behind one (0: none waits).
     */
    record Position(boolean synced, long receivedUpTo, long holeSinceNanos) {
    }

    private static final Logger log = LoggerFactory.getLogger(OrderedDelivery.class);

    private final ClientSession session;
    private final SessionIdentity who;
    /** Told the device's cursor at replay start, so that acks up to it need no write. */
    private final AckCoalescer acks;
    /** Held before or during the replay, or behind a hole: past this the socket is given up (4010), it replays. */
    private final int maxHeldItems;
    private final GatewayMetrics metrics;

    // guarded by this
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
    /** Since when ({@code System.nanoTime()}) an event waits behind a missing one; 0: none waits. */
    private long holeSinceNanos;

    OrderedDelivery(ClientSession session, SessionIdentity who, AckCoalescer acks, int maxHeldItems,
                    GatewayMetrics metrics) {
        this.session = session;
        this.who = who;
        this.acks = acks;
        this.maxHeldItems = maxHeldItems;
        this.metrics = metrics;
    }

    synchronized void deliver(Object item) {
        if (item instanceof ReplayStarted start) {
            start(start);
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
                        who.sessionId());
            }
        }
    }

    /** The highest userSeq sent on this socket, or the device's cursor at replay start: what it may ack. */
    synchronized long lastSent() {
        return lastUserSeq;
    }

    synchronized Position position() {
        return new Position(synced, lastUserSeq, holeSinceNanos);
    }

    private void start(ReplayStarted start) {
        if (started) {
            return; // a repeat after a redelivery: ready was sent
        }
        started = true;
        lastUserSeq = Math.max(lastUserSeq, start.getAckedUserSeq());
        nextReplayed = lastUserSeq + 1;
        acks.durableAt(start.getAckedUserSeq());
        session.send(new ServerFrame.Ready(who.userId(), who.deviceId(), who.sessionId(), start.getAckedUserSeq()));
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
            session.close(CloseCodes.TOO_SLOW, "too many live events during the replay");
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
            log.debug("session {} lacks userSeq {} of its replay", who.sessionId(), lastUserSeq + 1);
            return;
        }
        synced = true;
        replayedUpTo = finished.getUserSeq();
        session.send(new ServerFrame.Synced(finished.getUserSeq()));
        sendHeldInOrder();
    }

    private void gap(ReplayGap gap) {
        long oldest = gap.getOldestUserSeq();
        if (!synced || oldest - 1 > lastUserSeq) {
            session.send(new ServerFrame.Gap(oldest));
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
            session.close(CloseCodes.TOO_SLOW, "too many events behind a missing one");
            return;
        }
        replaying.putIfAbsent(event.getUserSeq(), event);
        if (holeSinceNanos == 0) {
            holeSinceNanos = System.nanoTime();
            log.debug("session {} holds userSeq {} behind a missing {}", who.sessionId(), event.getUserSeq(),
                    lastUserSeq + 1);
        }
    }

    private void sendEvent(LoggedEvent event) {
        if (event.getUserSeq() <= lastUserSeq) {
            return;
        }
        lastUserSeq = event.getUserSeq();
        // on the egress thread, under the correlation id of the record that brought the event
        log.debug("pushing userSeq {} to session {}", event.getUserSeq(), who.sessionId());
        if (synced && event.getUserSeq() > replayedUpTo && event.getEvent().getPayload() instanceof ChatMessage m) {
            metrics.delivered(m.getTs());
        }
        EventFrames.render(event, who.deviceId()).ifPresentOrElse(session::send, () -> log.warn(
                "skipping event userSeq {} for session {}: unknown payload {}", event.getUserSeq(),
                who.sessionId(), typeOf(event.getEvent().getPayload())));
    }

    private void ephemeral(Object item) {
        if (!started) {
            return; // stale by the time ready is sent
        }
        EventFrames.ephemeral(item).ifPresent(session::send);
    }

    private void hold(Object item) {
        if (early.size() >= maxHeldItems) {
            session.close(CloseCodes.TOO_SLOW, "too many events before the replay started");
            return;
        }
        early.add(item);
    }

    private static String typeOf(Object payload) {
        return payload == null ? "null" : payload.getClass().getName();
    }
}
