package io.kchat.gateway.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one socket sends: a bounded queue and one writer at a time, the socket's only writer (Helidon's
 * WsSession is not safe for concurrent sends). Frames come from the connection thread, the producer callbacks, the
 * timers and the egress consumer; they leave in the order they were queued.
 *
 * <p>The writer is a virtual thread that exists only while there is something to write: the first frame queued on an
 * empty queue starts it, and it ends once the queue is empty. A flag taken by compare-and-set admits one writer at a
 * time, and a writer hands over to the next through that flag, so frames still leave one by one in queue order. An
 * idle socket thus holds no thread (issue 6: memory per idle connection); its ping when quiet ({@link QuietPing}) is
 * a task on the shared timers.
 */
final class Outbound {

    private static final Logger log = LoggerFactory.getLogger(Outbound.class);
    /** A writer still blocked this long after an overflow has a peer that stopped reading: cut the socket. */
    private static final Duration OVERFLOW_GRACE = Duration.ofSeconds(5);

    private final WsSession socket;
    private final int capacity;
    private final ScheduledExecutorService timers;
    private final QuietPing quietPing;
    private final Runnable onFinished;
    private final Queue<OutboundItem> queue = new ConcurrentLinkedQueue<>();
    /** Frames queued and not yet written, the close excepted: bounded by {@code capacity}. */
    private final AtomicInteger queued = new AtomicInteger();
    /** No frame is queued any more (a close is queued, or the socket is gone). */
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Set while a writer is started or running: whoever sets it starts the one writer. */
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    /** Nothing is written any more: the close was written, a write failed, or {@link #stop()}. */
    private volatile boolean stopped;
    /** The running writer, to interrupt when the socket is cut; null between writers. */
    private volatile Thread writer;

    /**
     * @param pingInterval a socket on which nothing was written for this long is pinged
     * @param timers       the endpoint's shared timers: the quiet ping and the overflow's cut run there
     * @param onFinished   called once when the socket stops being written: close sent, socket broken or
     *                     {@link #stop()}
     */
    Outbound(WsSession socket, int capacity, Duration pingInterval, ScheduledExecutorService timers,
             Runnable onFinished) {
        this.socket = socket;
        this.capacity = capacity;
        this.timers = timers;
        this.onFinished = onFinished;
        this.quietPing = new QuietPing(this, timers, pingInterval);
    }

    /** Starts the quiet ping; frames may be queued before. */
    void start() {
        quietPing.start();
    }

    /** Queues a text frame; false when the socket is closing or the frame overflowed the queue (then 4010). */
    boolean send(String text) {
        return enqueue(new OutboundItem.Text(text));
    }

    /** Answers a client ping through the writer, so that the pong cannot interleave with a frame being sent. */
    void pong(BufferData payload) {
        enqueue(new OutboundItem.Pong(payload.copy()));
    }

    /** Pings the client through the writer, e.g. when nothing was heard from it for a while. */
    void ping() {
        enqueue(OutboundItem.PING);
    }

    /** Closes after the frames already queued, so that an error frame followed by a close both arrive. */
    void close(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            queue.add(OutboundItem.Close.of(code, reason));
            startWriter();
        }
    }

    /** The peer is gone or closed first: stop writing at once. */
    void stop() {
        closing.set(true);
        stopped = true;
        Thread current = writer;
        if (current != null && current != Thread.currentThread()) {
            // blocked in a socket write: interrupting a virtual thread in socket I/O closes the socket
            current.interrupt();
        }
        if (!writing.get()) {
            finish(); // no writer to notice: a writer starting later sees stopped and finishes too (once)
        }
    }

    boolean isClosing() {
        return closing.get();
    }

    /** Whether a writer is started or running: a socket being written is not quiet. */
    boolean isWriting() {
        return writing.get();
    }

    private boolean enqueue(OutboundItem item) {
        if (closing.get()) {
            return false;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            overflow();
            return false;
        }
        queue.add(item);
        startWriter();
        return true;
    }

    private void overflow() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        log.info("outbound queue full ({} frames): closing with {}", capacity, CloseCodes.TOO_SLOW);
        // the client is too slow for what is queued: drop it (its events stay in the user's log) and close now
        queue.clear();
        queue.add(OutboundItem.Close.of(CloseCodes.TOO_SLOW, "too slow to read"));
        startWriter();
        try {
            timers.schedule(this::cutIfStillWriting, OVERFLOW_GRACE.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the endpoint is closed (after its drain): no socket is left to cut
            log.debug("timers stopped, not scheduling the cut of this socket");
        }
    }

    private void cutIfStillWriting() {
        Thread current = writer;
        if (!finished.get() && current != null) {
            // blocked in a socket write: interrupting a virtual thread in socket I/O closes the socket
            current.interrupt();
        }
    }

    /** Starts the writer unless one runs: it takes whatever is queued, this item included. */
    private void startWriter() {
        if (writing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("ws-outbound").start(this::drain);
        }
    }

    /** The writer: runs until the queue is empty, the close is written, the socket breaks, or {@link #stop()}. */
    private void drain() {
        writer = Thread.currentThread();
        boolean ended = true;
        try {
            while (!stopped) {
                OutboundItem item = queue.poll();
                if (item == null) {
                    writer = null;
                    writing.set(false);
                    // a frame queued after the poll and before the flag dropped started no writer: take it here
                    if (stopped || queue.isEmpty() || !writing.compareAndSet(false, true)) {
                        ended = stopped;
                        return;
                    }
                    writer = Thread.currentThread();
                    continue;
                }
                if (write(item)) {
                    return; // the close is written
                }
            }
        } catch (RuntimeException e) {
            // a broken socket: Helidon tells the listener nothing when the peer vanishes, so this is how we learn
            log.debug("socket write failed, ending the session", e);
        } finally {
            if (ended) {
                stopped = true;
                closing.set(true);
                writer = null;
                finish();
            }
        }
    }

    /** Writes one item; true when it was the close, after which nothing is written. */
    private boolean write(OutboundItem item) {
        if (item instanceof OutboundItem.Close) {
            stopped = true;
            item.writeTo(socket);
            return true;
        }
        queued.decrementAndGet();
        item.writeTo(socket);
        quietPing.written();
        return false;
    }

    /** Once, whoever ends first: the writer or {@link #stop()} without a writer. */
    private void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        quietPing.stop();
        onFinished.run();
    }
}
