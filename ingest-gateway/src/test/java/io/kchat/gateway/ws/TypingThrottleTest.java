package io.kchat.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One typing notice per conversation per interval; a change of state within it is delayed, never lost. */
class TypingThrottleTest {

    private static final Duration INTERVAL = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final List<String> forwarded = new CopyOnWriteArrayList<>();
    private final List<ServerFrame> answers = new CopyOnWriteArrayList<>();
    private volatile boolean failing;
    private final TypingThrottle throttle = new TypingThrottle((conversationId, active) -> {
        forwarded.add(conversationId + ":" + active);
        return failing ? CompletableFuture.failedFuture(new IllegalStateException("broker down"))
                : CompletableFuture.completedFuture(null);
    }, answers::add, timers, INTERVAL);

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    @Test
    void aBurstOfTheSameStateIsForwardedOnce() throws InterruptedException {
        throttle.notice("c1", true, "first");
        for (int i = 0; i < 50; i++) {
            throttle.notice("c1", true, i == 49 ? "last" : null);
        }
        Thread.sleep(INTERVAL.toMillis() * 2);
        assertEquals(List.of("c1:true"), forwarded);
        assertEquals(List.of(ok("first"), ok("last")), answers);

        throttle.notice("c1", true, null);
        assertEquals(List.of("c1:true", "c1:true"), forwarded, "after the interval a repeat refreshes the state");
    }

    @Test
    void aChangeWithinTheIntervalIsForwardedWhenItEnds() {
        throttle.notice("c1", true, null);
        throttle.notice("c1", false, "stop");
        assertEquals(List.of("c1:true"), forwarded);
        assertEquals(List.of(), answers, "answered once its notice was written");

        await().atMost(WAIT).until(() -> forwarded.size() == 2);
        assertEquals("c1:false", forwarded.get(1));
        await().atMost(WAIT).until(() -> answers.equals(List.of(ok("stop"))));
    }

    @Test
    void aStateThatWentBackWithinTheIntervalIsNotForwardedAgain() throws InterruptedException {
        throttle.notice("c1", true, null);
        throttle.notice("c1", false, "a");
        throttle.notice("c1", true, "b");
        await().atMost(WAIT).until(() -> answers.size() == 2);
        Thread.sleep(INTERVAL.toMillis());
        assertEquals(List.of("c1:true"), forwarded);
        assertEquals(List.of(ok("a"), ok("b")), answers);
    }

    @Test
    void conversationsAreThrottledApart() {
        throttle.notice("c1", true, null);
        throttle.notice("c2", true, null);
        throttle.notice("c1", true, null);
        assertEquals(List.of("c1:true", "c2:true"), forwarded);
    }

    @Test
    void aFailedWriteIsAnsweredWithAnErrorToTheRefs() {
        failing = true;
        throttle.notice("c1", true, "r");
        assertEquals(List.of(ServerFrame.Error.of("r", null, ErrorCode.INTERNAL, "typing not relayed, please retry")),
                answers);
    }

    @Test
    void nothingIsForwardedAfterClose() throws InterruptedException {
        throttle.notice("c1", true, null);
        throttle.notice("c1", false, null);
        throttle.close();
        throttle.notice("c2", true, null);
        Thread.sleep(INTERVAL.toMillis() * 2);
        assertEquals(List.of("c1:true"), forwarded);
    }

    private static ServerFrame ok(String ref) {
        return new ServerFrame.Ok(ref, null);
    }
}
