package io.kchat.gateway.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one socket sends: a bounded queue drained by one virtual thread, the socket's only writer
 * (Helidon's WsSession is not safe for concurrent sends). Frames come from the connection thread, the
 * producer callbacks and the egress consumer; they leave in the order they were queued.
 */
final class Outbound {

    static final int TOO_SLOW = 4010;
    private static final Logger log = LoggerFactory.getLogger(Outbound.class);
    /** A writer still blocked this long after an overflow has a peer that stopped reading: cut the socket. */
    private static final Duration OVERFLOW_GRACE = Duration.ofSeconds(5);
    /** RFC 6455: a close frame's payload is at most 125 bytes, two of which hold the code. */
    private static final int MAX_REASON_BYTES = 123;

    private sealed interface Item {
    }

    private record Text(String text) implements Item {
    }

    private record Pong(BufferData payload) implements Item {
    }

    private record Ping() implements Item {
    }

    private record Close(int code, String reason) implements Item {
    }

    private final WsSession socket;
    private final int capacity;
    private final Duration pingInterval;
    private final Runnable onFinished;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Thread writer;

    /**
     * @param onFinished called once by the writer when it stops: close sent, socket broken or {@link #stop()}
     */
    Outbound(WsSession socket, int capacity, Duration pingInterval, Runnable onFinished) {
        this.socket = socket;
        this.capacity = capacity;
        this.pingInterval = pingInterval;
        this.onFinished = onFinished;
        this.writer = Thread.ofVirtual().name("ws-outbound").unstarted(this::drain);
    }

    void start() {
        writer.start();
    }

    /** Queues a text frame; false when the socket is closing or the frame overflowed the queue (then 4010). */
    boolean send(String text) {
        return enqueue(new Text(text));
    }

    /** Answers a client ping through the writer, so that the pong cannot interleave with a frame being sent. */
    void pong(BufferData payload) {
        // copied: the payload belongs to the frame Helidon is reading, and the pong is sent later
        enqueue(new Pong(payload.copy()));
    }

    /** Pings the client through the writer, e.g. when nothing was heard from it for a while. */
    void ping() {
        enqueue(new Ping());
    }

    /** Closes after the frames already queued, so that an error frame followed by a close both arrive. */
    void close(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            queue.add(new Close(code, truncate(reason)));
        }
    }

    /** The peer is gone or closed first: stop writing at once. */
    void stop() {
        closing.set(true);
        if (Thread.currentThread() != writer) {
            writer.interrupt();
        }
    }

    boolean isClosing() {
        return closing.get();
    }

    private boolean enqueue(Item item) {
        if (closing.get()) {
            return false;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            overflow();
            return false;
        }
        queue.add(item);
        return true;
    }

    private void overflow() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        log.info("outbound queue full ({} frames): closing with {}", capacity, TOO_SLOW);
        // the client is too slow for what is queued: drop it (its events stay in the user's log) and close now
        queue.clear();
        queue.add(new Close(TOO_SLOW, "too slow to read"));
        Thread.ofVirtual().name("ws-overflow-watch").start(() -> {
            try {
                if (!writer.join(OVERFLOW_GRACE)) {
                    // blocked in a socket write: interrupting a virtual thread in socket I/O closes the socket
                    writer.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void drain() {
        try {
            while (true) {
                Item item = queue.poll(pingInterval.toMillis(), TimeUnit.MILLISECONDS);
                switch (item) {
                    case null -> socket.ping(BufferData.empty());
                    case Text text -> {
                        queued.decrementAndGet();
                        socket.send(text.text(), true);
                    }
                    case Pong pong -> {
                        queued.decrementAndGet();
                        socket.pong(pong.payload());
                    }
                    case Ping ping -> {
                        queued.decrementAndGet();
                        socket.ping(BufferData.empty());
                    }
                    case Close close -> {
                        socket.close(close.code(), close.reason());
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            log.debug("outbound writer stopped");
        } catch (RuntimeException e) {
            // a broken socket: Helidon tells the listener nothing when the peer vanishes, so this is how we learn
            log.debug("socket write failed, ending the session", e);
        } finally {
            closing.set(true);
            onFinished.run();
        }
    }

    private static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        String cut = new String(bytes, 0, MAX_REASON_BYTES, StandardCharsets.UTF_8);
        // a multi-byte character cut in half decodes to U+FFFD, which may be longer: drop it
        while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut;
    }
}
