package io.kchat.assistant;

import com.zaxxer.hikari.HikariDataSource;
import io.kchat.assistant.answer.ActiveAnswers;
import io.kchat.assistant.answer.AnswerLimits;
import io.kchat.assistant.answer.AnswerPublisher;
import io.kchat.assistant.answer.Answerer;
import io.kchat.assistant.answer.ArchiveContext;
import io.kchat.assistant.answer.ArchiveReader;
import io.kchat.assistant.answer.ContextBuilder;
import io.kchat.assistant.answer.StreamPublisher;
import io.kchat.assistant.answer.StreamRelays;
import io.kchat.assistant.answer.UserRateLimiter;
import io.kchat.assistant.control.StopLoop;
import io.kchat.assistant.intake.ConversationTypes;
import io.kchat.assistant.intake.QuestionLoop;
import io.kchat.assistant.metrics.AssistantMetrics;
import io.kchat.assistant.model.ChatModel;
import io.kchat.events.AssistantStop;
import io.kchat.events.ChatMessage;
import io.kchat.observability.CheckResult;
import io.kchat.observability.Checks;
import io.kchat.observability.Health;
import io.kchat.schemas.AvroSerde;
import io.kchat.schemas.TopicCatalogue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running assistant worker: the question loop (with its conversations' answering threads), the stop loop, the
 * answer and stream producers, the stream timer and the connection pool. Closing it cancels every answer in progress
 * (their questions stay uncommitted, so whoever owns their partitions next answers them), commits what is answered,
 * then closes the producers and the pool.
 */
final class AssistantWorker implements AssistantService {

    private static final Logger log = LoggerFactory.getLogger(AssistantWorker.class);
    /** How long a question waits for the archive to hold the message before it (the previous answer). */
    static final Duration ARCHIVE_WAIT = Duration.ofSeconds(2);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
    /** How long a rebalance waits for the revoked partitions' answers to end once interrupted. */
    private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final int TYPE_CACHE_SIZE = 100_000;

    private final QuestionLoop questions;
    private final StopLoop stops;
    private final Deque<AutoCloseable> opened;
    private final ScheduledExecutorService timer;
    private final Health health;
    private final List<KafkaClientMetrics> clientMetrics;
    private final Map<String, Thread> threads = new LinkedHashMap<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Throwable failure;
    private volatile boolean closed;

    private AssistantWorker(QuestionLoop questions, StopLoop stops, Deque<AutoCloseable> opened,
                            ScheduledExecutorService timer, Health health, List<KafkaClientMetrics> clientMetrics) {
        this.questions = questions;
        this.stops = stops;
        this.opened = opened;
        this.timer = timer;
        this.health = health;
        this.clientMetrics = clientMetrics;
    }

    /** Opens everything and starts both loops; the topics must exist. What was opened is closed if a step fails. */
    static AssistantWorker start(AssistantConfig config, ChatModel model, Clock clock, MeterRegistry registry,
                                 Health health) {
        TopicCatalogue catalogue = config.catalogue();
        AnswerSettings answers = config.answers();
        AssistantMetrics metrics = new AssistantMetrics(registry);
        List<KafkaClientMetrics> clientMetrics = new ArrayList<>();
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("assistant-stream-timer").daemon().factory());
        if (model instanceof AutoCloseable client) {
            opened.push(client); // its HTTP client: closed last, after every answer using it was cancelled
        }
        try {
            HikariDataSource database = opened(opened, AssistantDatabase.open(config.database()));
            Admin admin = opened(opened, Admin.create(config.adminProperties()));
            Producer<byte[], byte[]> answerProducer = opened(opened,
                    new KafkaProducer<>(config.answerProducerProperties()));
            Producer<byte[], byte[]> streamProducer = opened(opened,
                    new KafkaProducer<>(config.streamProducerProperties()));
            KafkaConsumer<byte[], byte[]> questionConsumer = new KafkaConsumer<>(config.questionConsumerProperties());
            opened.push(questionConsumer);
            KafkaConsumer<byte[], byte[]> stopConsumer = new KafkaConsumer<>(config.stopConsumerProperties());
            opened.push(stopConsumer);
            List.of(answerProducer, streamProducer).forEach(p -> clientMetrics.add(new KafkaClientMetrics(p)));
            List.of(questionConsumer, stopConsumer).forEach(c -> clientMetrics.add(new KafkaClientMetrics(c)));

            ActiveAnswers active = new ActiveAnswers();
            AnswerLimits limits = new AnswerLimits(new UserRateLimiter(answers.userRate(),
                    Duration.ofMinutes(1)), answers.userConcurrency(), answers.concurrency());
            StreamRelays relays = new StreamRelays(answers.streamInterval(), clock,
                    new StreamPublisher(streamProducer, catalogue.assistantStream()),
                    (delay, task) -> timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS));
            ContextBuilder context = new ContextBuilder(answers.systemPrompt(), answers.contextMessages(),
                    answers.contextChars());
            Answerer answerer = new Answerer(model,
                    new ArchiveContext(new ArchiveReader(database, ARCHIVE_WAIT), context), limits, active, relays,
                    new AnswerPublisher(answerProducer, catalogue.inbound(), clock, ACK_TIMEOUT, RETRY_BACKOFF),
                    answers.maxQuestionAge(), clock, metrics);
            QuestionLoop questions = new QuestionLoop(questionConsumer, catalogue.messages().name(),
                    AvroSerde.of(ChatMessage.class), new ConversationTypes(database, TYPE_CACHE_SIZE), answerer,
                    answers.concurrency(), AssistantConfig.POLL_TIMEOUT, RETRY_BACKOFF, CANCEL_TIMEOUT);
            StopLoop stops = new StopLoop(stopConsumer, catalogue.assistantControl().name(),
                    AvroSerde.of(AssistantStop.class), active, AssistantConfig.POLL_TIMEOUT);

            metrics.inFlight(limits::inFlight);
            clientMetrics.forEach(client -> client.bindTo(registry));
            AssistantWorker worker = new AssistantWorker(questions, stops, opened, timer, health, clientMetrics);
            health.liveness("loops", worker::loopsRunning)
                    .readiness("kafka", Checks.kafka(admin))
                    .readiness("database", Checks.database(database));
            worker.startThreads();
            health.serving();
            return worker;
        } catch (RuntimeException | Error e) {
            health.failed("start failed: " + e);
            clientMetrics.forEach(KafkaClientMetrics::close);
            timer.shutdownNow();
            closeAll(opened, e);
            throw e;
        }
    }

    private void startThreads() {
        threads.put("assistant-questions", Thread.ofPlatform().name("assistant-questions").unstarted(
                () -> runLoop("assistant-questions", questions)));
        threads.put("assistant-stops", Thread.ofPlatform().name("assistant-stops").unstarted(
                () -> runLoop("assistant-stops", stops)));
        threads.values().forEach(Thread::start);
    }

    private void runLoop(String name, Runnable loop) {
        try {
            loop.run();
            if (!closed) {
                failure = new IllegalStateException(name + " stopped on its own");
                health.failed(name + " stopped on its own");
                log.error("{} stopped although the worker was not closed", name);
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            health.failed(name + " failed: " + e);
            log.error("{} failed", name, e);
        } finally {
            ended.countDown();
        }
    }

    private CheckResult loopsRunning() {
        Throwable failed = failure;
        if (failed != null) {
            return CheckResult.unhealthy("a loop failed: " + failed);
        }
        if (closed) {
            return CheckResult.healthy("stopping");
        }
        List<String> stopped = threads.values().stream().filter(t -> !t.isAlive()).map(Thread::getName).toList();
        return stopped.isEmpty() ? CheckResult.healthy(questions.waiting() + " questions waiting or being answered")
                : CheckResult.unhealthy("stopped: " + String.join(", ", stopped));
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        ended.await();
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        health.draining();
        long started = System.nanoTime();
        clientMetrics.forEach(KafkaClientMetrics::close);
        stops.stop();
        questions.stop();
        long deadline = started + STOP_TIMEOUT.toNanos();
        try {
            for (Thread thread : threads.values()) {
                if (!thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    log.warn("{} did not stop within {}", thread.getName(), STOP_TIMEOUT);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        RuntimeException failed = new IllegalStateException("closing the assistant worker failed");
        closeAll(opened, failed);
        if (failed.getSuppressed().length > 0) {
            log.warn("closing the assistant worker", failed);
        }
        log.info("assistant worker stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static <T extends AutoCloseable> T opened(Deque<AutoCloseable> opened, T resource) {
        opened.push(resource);
        return resource;
    }

    /** Closes in reverse order of opening; the loops' consumers are closed by their loops already (idempotent). */
    private static void closeAll(Deque<AutoCloseable> opened, Throwable failure) {
        while (!opened.isEmpty()) {
            AutoCloseable resource = opened.pop();
            try {
                if (resource instanceof Producer<?, ?> producer) {
                    producer.close(PRODUCER_CLOSE_TIMEOUT);
                } else {
                    resource.close();
                }
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
