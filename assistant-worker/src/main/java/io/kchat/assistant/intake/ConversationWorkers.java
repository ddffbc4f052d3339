package io.kchat.assistant.intake;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The questions of each conversation, answered one at a time in seq order on a virtual thread of the conversation's
 * own, which ends when its queue is empty; conversations run side by side (how many answers at once is the
 * answerer's limit). Cancelling a partition's conversations interrupts them and drops what they had queued.
 */
public final class ConversationWorkers {

    /** Answers one question; returns once the answer is acknowledged, throws when cancelled. */
    @FunctionalInterface
    public interface Handler {
        void answer(Question question, Cancellation cancellation) throws InterruptedException;
    }

    /** Told, on the conversation's thread, what became of each question submitted. */
    public interface Outcomes {
        void answered(Question question);

        /** Cancelled before its answer was acknowledged: the partition's next owner answers it. */
        void dropped(Question question);
    }

    private static final Logger log = LoggerFactory.getLogger(ConversationWorkers.class);

    private final Handler handler;
    private final Outcomes outcomes;
    private final Duration retryBackoff;
    private final Duration joinTimeout;
    private final Map<String, Worker> workers = new HashMap<>();

    public ConversationWorkers(Handler handler, Outcomes outcomes, Duration retryBackoff, Duration joinTimeout) {
        this.handler = handler;
        this.outcomes = outcomes;
        this.retryBackoff = retryBackoff;
        this.joinTimeout = joinTimeout;
    }

    public synchronized void submit(Question question) {
        Worker worker = workers.get(question.conversationId());
        if (worker == null) {
            worker = new Worker(question.conversationId(), question.partition());
            workers.put(question.conversationId(), worker);
            worker.queue.add(question);
            worker.thread = Thread.ofVirtual().name("assistant-" + question.conversationId()).start(worker);
        } else {
            worker.queue.add(question);
        }
    }

    /**
     * Cancels the conversations of these partitions and waits (a bounded time) for their threads to end, so that
     * what they finished is known before the partitions' offsets are committed.
     */
    public void cancel(Collection<TopicPartition> partitions) throws InterruptedException {
        Set<TopicPartition> revoked = Set.copyOf(partitions);
        List<Worker> cancelled = new ArrayList<>();
        synchronized (this) {
            workers.values().removeIf(worker -> revoked.contains(worker.partition) && cancelled.add(worker));
            cancelled.forEach(Worker::cancel);
        }
        long deadline = System.nanoTime() + joinTimeout.toNanos();
        for (Worker worker : cancelled) {
            if (!worker.thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                log.warn("the answer in {} did not end within {} of its cancellation", worker.conversationId,
                        joinTimeout);
            }
        }
    }

    public void cancelAll() throws InterruptedException {
        List<TopicPartition> all;
        synchronized (this) {
            all = workers.values().stream().map(worker -> worker.partition).distinct().toList();
        }
        cancel(all);
    }

    private final class Worker implements Runnable, Cancellation {

        private final String conversationId;
        private final TopicPartition partition;
        private final Queue<Question> queue = new ArrayDeque<>();
        private volatile boolean cancelled;
        private Thread thread;

        private Worker(String conversationId, TopicPartition partition) {
            this.conversationId = conversationId;
            this.partition = partition;
        }

        @Override
        public boolean cancelled() {
            return cancelled;
        }

        /** Under the workers' lock. */
        private void cancel() {
            cancelled = true;
            thread.interrupt();
        }

        @Override
        public void run() {
            Question question;
            while ((question = next()) != null) {
                if (!answer(question)) {
                    outcomes.dropped(question);
                    drop();
                    return;
                }
                outcomes.answered(question);
            }
        }

        /** The next question, or null when the queue is empty (the worker is then gone) or cancelled. */
        private Question next() {
            synchronized (ConversationWorkers.this) {
                Question question = cancelled ? null : queue.poll();
                if (question == null && !cancelled) {
                    workers.remove(conversationId, this);
                }
                if (cancelled) {
                    drop();
                }
                return question;
            }
        }

        /** Whether the question was answered; false when cancelled. Retries what failed unexpectedly. */
        private boolean answer(Question question) {
            while (!cancelled) {
                try {
                    handler.answer(question, this);
                    return true;
                } catch (InterruptedException e) {
                    return false;
                } catch (RuntimeException e) {
                    log.error("answering {}#{} failed; trying again in {}", conversationId, question.seq(),
                            retryBackoff, e);
                    try {
                        Thread.sleep(retryBackoff);
                    } catch (InterruptedException interrupted) {
                        return false;
                    }
                }
            }
            return false;
        }

        private void drop() {
            synchronized (ConversationWorkers.this) {
                Question queued;
                while ((queued = queue.poll()) != null) {
                    outcomes.dropped(queued);
                }
            }
        }
    }
}
