package io.kchat.gateway.ws;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Every socket open on the endpoint, authenticated or not, and the drain that ends them when the node stops
 * (SIGTERM):
 *
 * <ol>
 *   <li>no socket is admitted any more (an upgrade is refused, one that raced it is closed with 1001 at once);</li>
 *   <li>each socket stops taking work: a frame that would write to Kafka is refused with an {@code error}
 *       ({@code internal}: send it again after reconnecting), acks and pings are still taken;</li>
 *   <li>the frames already taken are answered (an {@code ok} only once Kafka acknowledged the write);</li>
 *   <li>each socket is closed with 1001 after what is queued for it, and its session ends (SessionClosed);</li>
 *   <li>a socket whose end does not come within the timeout is cut, so that its session ends all the same.</li>
 * </ol>
 */
final class OpenSockets {

    private static final Duration POLL = Duration.ofMillis(10);
    /** How long cut sockets get to run their end (a SessionClosed handed to the producer). */
    private static final Duration CUT_GRACE = Duration.ofSeconds(1);

    private final Set<ClientSession> open = ConcurrentHashMap.newKeySet();
    /** Guarded by this for writes: admitting checks it and adds at once. */
    private volatile boolean draining;

    /** False once the node drains: the socket is to be closed with 1001 at once. */
    synchronized boolean admit(ClientSession socket) {
        if (draining) {
            return false;
        }
        open.add(socket);
        return true;
    }

    /** The socket's session has ended (its SessionClosed, if any, handed to the producer). */
    void ended(ClientSession socket) {
        open.remove(socket);
    }

    /** Sockets open now, authenticated or not. */
    int size() {
        return open.size();
    }

    boolean isDraining() {
        return draining;
    }

    /** Drains every socket, in at most about {@code timeout} (plus a second for sockets that had to be cut). */
    DrainReport drain(Duration timeout) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        List<ClientSession> sockets;
        synchronized (this) {
            draining = true;
            sockets = List.copyOf(open);
        }
        int inFlight = sockets.stream().mapToInt(ClientSession::stopTakingFrames).sum();
        await(() -> sockets.stream().allMatch(s -> s.framesInFlight() == 0), deadline);
        int unanswered = sockets.stream().mapToInt(ClientSession::framesInFlight).sum();
        sockets.forEach(s -> s.close(CloseCodes.GOING_AWAY, SocketAdmission.GOING_AWAY_REASON));
        await(open::isEmpty, deadline);
        List<ClientSession> stuck = List.copyOf(open);
        // a peer that does not take its close (a full TCP window): cut it, so that its session ends now
        stuck.forEach(ClientSession::stop);
        await(open::isEmpty, System.nanoTime() + CUT_GRACE.toNanos());
        return new DrainReport(sockets.size(), inFlight, unanswered, stuck.size(), open.size(),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static void await(BooleanSupplier condition, long deadline) throws InterruptedException {
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL);
        }
    }
}
