package io.kchat.assistant.answer;

import io.kchat.assistant.intake.Cancellation;
import io.kchat.assistant.intake.ConversationWorkers;
import io.kchat.assistant.intake.Question;
import io.kchat.assistant.metrics.AssistantMetrics;
import io.kchat.assistant.model.Answer;
import io.kchat.assistant.model.ChatModel;
import io.kchat.assistant.model.ChatTurn;
import io.kchat.assistant.model.ModelFailure;
import io.kchat.observability.Correlation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one question with exactly one post (D15): a question too old or over its asker's rate gets a short failed
 * answer at once; any other waits for its asker's and the instance's slots, then the model answers it from its
 * context while the deltas stream to the asker. A model failure, or an empty answer, is posted as a short failed
 * answer; a stop posts the text so far. The stream ends with {@code done} once the answer is acknowledged.
 */
public final class Answerer implements ConversationWorkers.Handler {

    private static final Logger log = LoggerFactory.getLogger(Answerer.class);

    private final ChatModel model;
    private final ContextSource context;
    private final AnswerLimits limits;
    private final ActiveAnswers active;
    private final StreamRelays relays;
    private final AnswerSink answers;
    private final Duration maxQuestionAge;
    private final Clock clock;
    private final AssistantMetrics metrics;

    public Answerer(ChatModel model, ContextSource context, AnswerLimits limits, ActiveAnswers active,
                    StreamRelays relays, AnswerSink answers, Duration maxQuestionAge, Clock clock,
                    AssistantMetrics metrics) {
        this.model = model;
        this.context = context;
        this.limits = limits;
        this.active = active;
        this.relays = relays;
        this.answers = answers;
        this.maxQuestionAge = maxQuestionAge;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public void answer(Question question, Cancellation cancellation) throws InterruptedException {
        try (Correlation.Scope ignored = Correlation.open(question.correlationId())) {
            Instant now = clock.instant();
            if (question.ts().plus(maxQuestionAge).isBefore(now)) {
                log.info("question {}#{} asked at {} is too old: answering that the assistant was unavailable",
                        question.conversationId(), question.seq(), question.ts());
                post(question, relays.open(question, () -> { }), Replies.TOO_OLD, true, Outcome.TOO_OLD, cancellation);
            } else if (question.body().isBlank()) {
                post(question, relays.open(question, () -> { }), Replies.NO_TEXT, true, Outcome.FAILED, cancellation);
            } else if (!limits.allowed(question.senderId(), now)) {
                post(question, relays.open(question, () -> { }), Replies.RATE_LIMITED, true, Outcome.RATE_LIMITED,
                        cancellation);
            } else {
                limits.acquire(question.senderId());
                try {
                    answerWithModel(question, cancellation);
                } finally {
                    limits.release(question.senderId());
                }
            }
        }
    }

    private void answerWithModel(Question question, Cancellation cancellation) throws InterruptedException {
        List<ChatTurn> turns = context.turns(question);
        long called = System.nanoTime();
        StreamRelay relay = relays.open(question,
                () -> metrics.firstDelta(Duration.ofNanos(System.nanoTime() - called)));
        AnswerControl control = new AnswerControl(question.senderId(), Thread.currentThread());
        active.add(question.conversationId(), question.seq(), control);
        String body;
        boolean failed = true;
        Outcome outcome = Outcome.FAILED;
        try {
            Answer answer = model.answer(turns, relay);
            if (answer.text() == null || answer.text().isBlank()) {
                metrics.modelFailure("empty");
                body = Replies.EMPTY;
            } else {
                body = answer.text();
                failed = false;
                outcome = Outcome.ANSWERED;
            }
        } catch (ModelFailure e) {
            metrics.modelFailure(e.kind());
            log.warn("the model failed to answer {}#{}: {}", question.conversationId(), question.seq(), e.kind());
            body = e.userMessage();
        } catch (InterruptedException e) {
            if (!control.stopped() || cancellation.cancelled()) {
                throw e;
            }
            String soFar = relay.text();
            body = soFar.isBlank() ? Replies.STOPPED_BEFORE_ANSWER : soFar;
            failed = false;
            outcome = Outcome.STOPPED;
        } catch (RuntimeException e) {
            // a defect of the model client must not leave the question unanswered, nor retry it for ever
            metrics.modelFailure("error");
            log.error("the model client failed on {}#{}", question.conversationId(), question.seq(), e);
            body = Replies.BROKEN;
        } finally {
            active.remove(question.conversationId(), question.seq(), control);
            control.endAnswering(cancellation.cancelled());
        }
        post(question, relay, body, failed, outcome, cancellation);
    }

    private void post(Question question, StreamRelay relay, String body, boolean failed, Outcome outcome,
                      Cancellation cancellation) throws InterruptedException {
        relay.flush();
        answers.post(question, body, failed, cancellation);
        relay.done();
        metrics.question(outcome.tag(), Duration.between(question.ts(), clock.instant()));
        log.debug("answered {}#{}: {}", question.conversationId(), question.seq(), outcome.tag());
    }
}
