package io.kchat.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A device acking every message costs a few writes; refs are answered after the write; never backwards. */
class AckCoalescerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final List<Long> published = new CopyOnWriteArrayList<>();
    /** The futures returned to the coalescer, in the order of its writes. */
    private final List<CompletableFuture<Object>> writes = new CopyOnWriteArrayList<>();
    private final List<ServerFrame> answers = new CopyOnWriteArrayList<>();
    private volatile boolean completeAtOnce = true;

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    @Test
    void aBurstOfAcksBecomesTwoWritesTheLastOneTheHighest() {
        AckCoalescer acks = coalescer(Duration.ofMillis(300));
        for (long userSeq = 1; userSeq <= 100; userSeq++) {
            acks.ack(userSeq, null);
        }
        await().atMost(WAIT).until(() -> published.contains(100L));
        // the first leaves at once, the other 99 wait for the end of the interval as one write
        assertEquals(1L, published.getFirst());
        assertEquals(100L, published.getLast());
        assertTrue(published.size() <= 3, published::toString);
        assertEquals(List.of(), answers, "acks without a ref are answered only when refused");
    }

    @Test
    void aRefIsAnsweredOnceTheWriteCoveringItWasAcked() {
        completeAtOnce = false;
        AckCoalescer acks = coalescer(Duration.ofMillis(100));
        acks.ack(1, "a");
        acks.ack(2, "b");
        acks.ack(3, "c");
        assertEquals(List.of(1L), published, "one write in flight at a time");
        assertEquals(List.of(), answers);

        writes.get(0).complete(null);
        assertEquals(List.of(ok("a")), answers);
        await().atMost(WAIT).until(() -> published.size() == 2);
        assertEquals(3L, published.get(1));
        acks.ack(3, "d"); // covered by the write in flight
        assertEquals(1, answers.size());

        writes.get(1).complete(null);
        assertEquals(List.of(ok("a"), ok("b"), ok("c"), ok("d")), answers);
    }

    @Test
    void neverMovesBackwards() {
        AckCoalescer acks = coalescer(Duration.ofMillis(50));
        acks.durableAt(5);
        acks.ack(3, "below-the-replay-cursor");
        acks.ack(5, "at-the-replay-cursor");
        assertEquals(List.of(), published);
        acks.ack(7, "up");
        acks.ack(6, "back");
        acks.ack(4, null);
        await().atMost(WAIT).until(() -> answers.size() == 4);
        assertEquals(List.of(7L), published);
        assertEquals(List.of(ok("below-the-replay-cursor"), ok("at-the-replay-cursor"), ok("up"), ok("back")),
                answers);
    }

    @Test
    void closeWritesWhatIsPendingAtOnce() {
        AckCoalescer acks = coalescer(Duration.ofHours(1));
        acks.ack(1, null);
        acks.ack(2, null);
        acks.ack(3, "r");
        assertEquals(List.of(1L), published);
        acks.close();
        await().atMost(WAIT).until(() -> published.size() == 2);
        assertEquals(List.of(1L, 3L), published);
        await().atMost(WAIT).until(() -> answers.equals(List.of(ok("r"))));
    }

    @Test
    void aFailedWriteIsAnsweredWithAnErrorAndALaterAckWritesAgain() {
        completeAtOnce = false;
        AckCoalescer acks = coalescer(Duration.ZERO);
        acks.ack(2, "r");
        acks.ack(2, null);
        writes.forEach(write -> write.completeExceptionally(new IllegalStateException("broker down")));
        assertEquals(List.of("error:r:internal", "error:null:internal"),
                answers.stream().map(AckCoalescerTest::describe).toList());

        acks.ack(2, "again");
        assertEquals(List.of(2L, 2L, 2L), published, "zero interval: every ack above the durable cursor is written");
        writes.getLast().complete(null);
        assertEquals(ok("again"), answers.getLast());
        acks.ack(2, "durable-now");
        assertEquals(3, published.size());
        assertEquals(ok("durable-now"), answers.getLast());
    }

    private AckCoalescer coalescer(Duration interval) {
        return new AckCoalescer(userSeq -> {
            published.add(userSeq);
            CompletableFuture<Object> write = completeAtOnce
                    ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
            writes.add(write);
            return write;
        }, answers::add, timers, interval);
    }

    private static ServerFrame ok(String ref) {
        return new ServerFrame.Ok(ref, null);
    }

    private static String describe(ServerFrame frame) {
        return frame instanceof ServerFrame.Error e ? "error:" + e.ref() + ":" + e.code() : frame.toString();
    }
}
