package io.kchat.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.SocketContext;
import io.helidon.websocket.WsSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One writer at a time, only while there is something to write; queue order; the quiet ping on the timers. */
class OutboundTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration NO_PING = Duration.ofMinutes(10);

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger finished = new AtomicInteger();

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    @Test
    void anIdleSocketHoldsNoWriterThread() {
        WatchingSocket socket = new WatchingSocket();
        Outbound outbound = started(socket, NO_PING);

        assertTrue(outbound.send("1"));
        await().atMost(WAIT).until(() -> socket.texts.size() == 1);
        Thread first = socket.writers.getFirst();
        await().atMost(WAIT).until(() -> !first.isAlive());

        assertTrue(outbound.send("2"), "a frame on the idle socket starts a writer again");
        await().atMost(WAIT).until(() -> socket.texts.size() == 2);
        await().atMost(WAIT).until(() -> !socket.writers.getLast().isAlive());
        assertEquals(List.of("1", "2"), socket.texts);
        assertEquals(0, finished.get(), "the socket is still open");
    }

    @Test
    void framesFromManyThreadsLeaveInTheirOrderOneWriteAtATime() throws Exception {
        WatchingSocket socket = new WatchingSocket();
        Outbound outbound = started(socket, NO_PING);
        int producers = 8;
        int frames = 500;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads.add(Thread.ofPlatform().start(() -> {
                awaitQuietly(go);
                for (int i = 0; i < frames; i++) {
                    assertTrue(outbound.send(producer + ":" + i));
                    if (i % 7 == 0) {
                        Thread.yield(); // lets the writer empty the queue and end, so that writers hand over often
                    }
                }
            }));
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join(WAIT.toMillis());
        }

        await().atMost(WAIT).until(() -> socket.texts.size() == producers * frames);
        assertEquals(1, socket.mostConcurrentWrites.get(), "never two writes at once");
        Map<String, List<Integer>> byProducer = socket.texts.stream().map(t -> t.split(":"))
                .collect(Collectors.groupingBy(t -> t[0], Collectors.mapping(t -> Integer.parseInt(t[1]),
                        Collectors.toList())));
        assertEquals(producers, byProducer.size());
        for (List<Integer> sent : byProducer.values()) {
            assertEquals(frames, sent.size());
            for (int i = 0; i < frames; i++) {
                assertEquals(i, sent.get(i), "each producer's frames in the order queued");
            }
        }
    }

    @Test
    void aQuietSocketIsPingedUntilItCloses() {
        WatchingSocket socket = new WatchingSocket();
        Outbound outbound = started(socket, Duration.ofMillis(50));

        await().atMost(WAIT).until(() -> socket.pings.get() >= 3);
        outbound.close(1000, "bye");
        await().atMost(WAIT).until(() -> socket.closeCode != null);
        int pings = socket.pings.get();

        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> socket.pings.get() == pings);
        assertEquals(1, finished.get());
    }

    @Test
    void theCloseLeavesAfterWhatWasQueuedAndNothingAfterIt() {
        WatchingSocket socket = new WatchingSocket();
        socket.block();
        Outbound outbound = started(socket, NO_PING);

        assertTrue(outbound.send("1"));
        await().atMost(WAIT).until(() -> socket.sending);
        assertTrue(outbound.send("2"));
        outbound.close(4000, "done");
        assertFalse(outbound.send("3"), "nothing is queued after the close");
        socket.release();

        await().atMost(WAIT).until(() -> Integer.valueOf(4000).equals(socket.closeCode));
        assertEquals(List.of("1", "2"), socket.texts);
        await().atMost(WAIT).until(() -> finished.get() == 1);
    }

    @Test
    void stopWithoutAWriterEndsTheSocketOnce() {
        WatchingSocket socket = new WatchingSocket();
        Outbound outbound = started(socket, NO_PING);

        outbound.stop();
        outbound.stop();
        outbound.close(1000, "late");

        assertEquals(1, finished.get());
        assertTrue(outbound.isClosing());
        assertFalse(outbound.send("1"));
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> socket.closeCode == null);
    }

    @Test
    void stopCutsAWriterBlockedOnThePeer() {
        WatchingSocket socket = new WatchingSocket();
        socket.block();
        Outbound outbound = started(socket, NO_PING);
        assertTrue(outbound.send("1"));
        await().atMost(WAIT).until(() -> socket.sending);

        outbound.stop();

        await().atMost(WAIT).until(() -> finished.get() == 1);
        assertTrue(socket.texts.isEmpty());
    }

    private Outbound started(WatchingSocket socket, Duration pingInterval) {
        Outbound outbound = new Outbound(socket, 16 * 1024, pingInterval, timers, finished::incrementAndGet);
        outbound.start();
        return outbound;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records frames and their writer threads, counts writes at once; may block like a full TCP window. */
    private static final class WatchingSocket implements WsSession {

        final List<String> texts = new CopyOnWriteArrayList<>();
        final List<Thread> writers = new CopyOnWriteArrayList<>();
        final AtomicInteger pings = new AtomicInteger();
        final AtomicInteger mostConcurrentWrites = new AtomicInteger();
        volatile Integer closeCode;
        volatile boolean sending;
        private final AtomicInteger writing = new AtomicInteger();
        private volatile CountDownLatch gate = new CountDownLatch(0);

        void block() {
            gate = new CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }

        @Override
        public WsSession send(String text, boolean last) {
            int now = writing.incrementAndGet();
            mostConcurrentWrites.accumulateAndGet(now, Math::max);
            try {
                sending = true;
                writers.add(Thread.currentThread());
                gate.await();
                texts.add(text);
                return this;
            } catch (InterruptedException e) {
                // as a socket write does when its virtual thread is interrupted: the socket is closed
                throw new IllegalStateException("interrupted", e);
            } finally {
                writing.decrementAndGet();
            }
        }

        @Override
        public WsSession send(BufferData bufferData, boolean last) {
            throw new UnsupportedOperationException("binary");
        }

        @Override
        public WsSession ping(BufferData bufferData) {
            pings.incrementAndGet();
            return this;
        }

        @Override
        public WsSession pong(BufferData bufferData) {
            return this;
        }

        @Override
        public WsSession close(int code, String reason) {
            closeCode = code;
            return this;
        }

        @Override
        public WsSession terminate() {
            return this;
        }

        @Override
        public SocketContext socketContext() {
            throw new UnsupportedOperationException("no socket");
        }
    }
}
