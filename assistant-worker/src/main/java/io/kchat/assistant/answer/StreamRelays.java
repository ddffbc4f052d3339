package io.kchat.assistant.answer;

import io.kchat.assistant.intake.Question;
import java.time.Clock;
import java.time.Duration;

/** Opens a {@link StreamRelay} per answer, all sharing one sink, timer, clock and interval. */
public final class StreamRelays {

    private final Duration interval;
    private final Clock clock;
    private final StreamSink sink;
    private final Timer timer;

    public StreamRelays(Duration interval, Clock clock, StreamSink sink, Timer timer) {
        this.interval = interval;
        this.clock = clock;
        this.sink = sink;
        this.timer = timer;
    }

    public StreamRelay open(Question question, Runnable onFirstDelta) {
        return new StreamRelay(question, interval, clock, sink, timer, onFirstDelta);
    }
}
