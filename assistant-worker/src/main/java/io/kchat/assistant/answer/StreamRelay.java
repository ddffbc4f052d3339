package io.kchat.assistant.answer;

import io.kchat.assistant.intake.Question;
import io.kchat.assistant.model.AnswerListener;
import io.kchat.events.AssistantStream;
import java.time.Clock;
import java.time.Duration;

/**
 * Relays one answer's deltas to the asker as {@link AssistantStream} parts, at most one part per {@code interval}:
 * deltas arriving sooner are held and go out together, when the interval is over (a timer sees to it if no delta
 * comes). Each part says where it starts in the answer, in UTF-16 units; after {@link #restarted()} the answer starts
 * again at 0. {@link #done()} ends the stream after the answer is posted. Thread-safe: deltas arrive on the answering
 * thread, held ones leave on the timer's.
 */
public final class StreamRelay implements AnswerListener {

    private final Question question;
    private final long intervalMillis;
    private final Clock clock;
    private final StreamSink sink;
    private final Timer timer;
    private final Runnable onFirstDelta;
    /** The answer so far, in this attempt; the first {@code sent} units of it have gone out. */
    private final StringBuilder text = new StringBuilder();
    private int sent;
    private long sentAt;
    private boolean flushScheduled;
    private boolean anyDelta;
    private boolean finished;

    public StreamRelay(Question question, Duration interval, Clock clock, StreamSink sink, Timer timer,
                       Runnable onFirstDelta) {
        this.question = question;
        this.intervalMillis = interval.toMillis();
        this.clock = clock;
        this.sink = sink;
        this.timer = timer;
        this.onFirstDelta = onFirstDelta;
        this.sentAt = clock.millis() - intervalMillis;
    }

    @Override
    public synchronized void delta(String delta) {
        if (finished || delta == null || delta.isEmpty()) {
            return;
        }
        if (!anyDelta) {
            anyDelta = true;
            onFirstDelta.run();
        }
        text.append(delta);
        long now = clock.millis();
        long due = sentAt + intervalMillis;
        if (now >= due) {
            flush(now);
        } else if (!flushScheduled) {
            flushScheduled = true;
            timer.schedule(Duration.ofMillis(due - now), this::flushHeld);
        }
    }

    @Override
    public synchronized void restarted() {
        text.setLength(0);
        sent = 0;
    }

    /** The answer so far (sent or held), in this attempt. */
    public synchronized String text() {
        return text.toString();
    }

    /** Sends what is held now: before the answer is posted, so that the stream has all of it first. */
    public synchronized void flush() {
        if (!finished) {
            flush(clock.millis());
        }
    }

    /** The answer is posted: one last part, empty and {@code done}, and nothing after it. */
    public synchronized void done() {
        if (finished) {
            return;
        }
        flush(clock.millis());
        finished = true;
        sink.send(part(text.length(), "", true), question.correlationId());
    }

    private synchronized void flushHeld() {
        flushScheduled = false;
        if (!finished) {
            flush(clock.millis());
        }
    }

    private void flush(long now) {
        if (sent < text.length()) {
            sink.send(part(sent, text.substring(sent), false), question.correlationId());
            sent = text.length();
            sentAt = now;
        }
    }

    private AssistantStream part(int offset, String delta, boolean done) {
        return new AssistantStream(question.conversationId(), question.senderId(), question.seq(), offset, delta, done,
                clock.instant());
    }
}
