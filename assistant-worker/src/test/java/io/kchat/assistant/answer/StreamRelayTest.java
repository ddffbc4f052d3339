package io.kchat.assistant.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.assistant.intake.Question;
import io.kchat.events.AssistantStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class StreamRelayTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Question QUESTION = new Question("c1", 7, "alice", "why?", T0,
            new TopicPartition("chat.messages", 0), 3, "corr-1");

    private final MutableClock clock = new MutableClock(T0);
    private final ManualTimer timer = new ManualTimer();
    private final List<AssistantStream> sent = new ArrayList<>();
    private final List<String> correlationIds = new ArrayList<>();
    private final AtomicInteger firstDeltas = new AtomicInteger();
    private final StreamRelay relay = new StreamRelay(QUESTION, INTERVAL, clock, (part, id) -> {
        sent.add(atT0(part));
        correlationIds.add(id);
    }, timer, firstDeltas::incrementAndGet);

    @Test
    void theFirstDeltaGoesAtOnceAndLaterOnesAreBatchedPerInterval() {
        relay.delta("Hel");
        clock.advance(Duration.ofMillis(30));
        relay.delta("lo");
        relay.delta(", ");

        assertEquals(List.of(part(0, "Hel")), sent);
        assertEquals(1, timer.scheduled.size(), "one flush scheduled for the held deltas");
        assertEquals(Duration.ofMillis(70), timer.scheduled.getFirst().delay());

        clock.advance(Duration.ofMillis(70));
        timer.runAll();
        assertEquals(List.of(part(0, "Hel"), part(3, "lo, ")), sent);

        clock.advance(Duration.ofMillis(150));
        relay.delta("world");
        assertEquals(part(7, "world"), sent.getLast());
        assertEquals(1, firstDeltas.get());
        assertTrue(correlationIds.stream().allMatch("corr-1"::equals));
    }

    @Test
    void offsetsCountUtf16UnitsSoTheStreamJoinsIntoTheAnswer() {
        relay.delta("\uD83D\uDE00 a");
        clock.advance(INTERVAL);
        relay.delta("b");

        assertEquals(List.of(part(0, "\uD83D\uDE00 a"), part(4, "b")), sent);
        assertEquals("\uD83D\uDE00 ab", relay.text());
    }

    @Test
    void aRestartDropsWhatWasHeldAndStartsAgainAtZero() {
        relay.delta("first try");
        relay.delta(" held");
        relay.restarted();
        relay.delta("second");
        clock.advance(INTERVAL);
        timer.runAll();

        assertEquals(List.of(part(0, "first try"), part(0, "second")), sent);
        assertEquals("second", relay.text());
    }

    @Test
    void flushSendsWhatIsHeldAndDoneEndsTheStreamWithAnEmptyPart() {
        relay.delta("abc");
        relay.delta("def");
        relay.flush();
        relay.done();
        relay.delta("late");
        timer.runAll();

        assertEquals(List.of(part(0, "abc"), part(3, "def"), new AssistantStream("c1", "alice", 7L, 6, "", true, T0)),
                sent);
    }

    @Test
    void withoutIntervalEveryDeltaGoesAtOnce() {
        StreamRelay immediate = new StreamRelay(QUESTION, Duration.ZERO, clock, (part, id) -> sent.add(atT0(part)), timer,
                () -> { });
        immediate.delta("a");
        immediate.delta("b");
        immediate.delta("c");

        assertEquals(List.of(part(0, "a"), part(1, "b"), part(2, "c")), sent);
        assertTrue(timer.scheduled.isEmpty());
    }

    /** The parts' times are the clock's; what is compared here is the rest. */
    private static AssistantStream atT0(AssistantStream part) {
        return AssistantStream.newBuilder(part).setAt(T0).build();
    }

    private static AssistantStream part(int offset, String delta) {
        return new AssistantStream("c1", "alice", 7L, offset, delta, false, T0);
    }
}
