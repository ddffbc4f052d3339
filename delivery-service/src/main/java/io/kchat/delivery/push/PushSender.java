package io.kchat.delivery.push;

import io.kchat.delivery.loop.ConsumerLoop;
import io.kchat.delivery.loop.RecordDecoder;
import io.kchat.delivery.loop.RetryBatchException;
import io.kchat.events.PushDue;
import io.kchat.schemas.AvroSerde;
import io.kchat.schemas.PushEndpoints;
import java.io.IOException;
import java.net.http.HttpClient;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the pushes of chat.push (D15): for each PushDue, one push per named device that has a subscription, unless
 * the user muted the conversation. Each push is claimed in push_deliveries before the push service is asked and its
 * outcome recorded after, so that a PushDue read again (a restart, a rebalance, a batch retried) sends nothing that
 * was sent, and sends again only what a crash left mid-push. The pushes of a batch run concurrently, at most
 * {@link PushConfig#concurrency()} devices at once, each device's pushes in the order of their PushDues; the
 * {@link ConsumerLoop} commits the batch's offsets only after every push of it ended and its outcome is recorded.
 *
 * <p>Outcomes: 200/201/202 sent; 404/410 the subscription removed (failed, gone); 429, 5xx and I/O errors tried again
 * after a backoff (the service's Retry-After when it gives one), at most {@link PushConfig#maxAttempts()} tries
 * (failed, retries_exhausted); any other answer, an endpoint the policy refuses or unusable keys: failed, refused.
 * A device over {@link PushConfig#deviceRate()} pushes a minute: skipped, rate_limited.
 */
public final class PushSender implements ConsumerLoop.BatchHandler {

    private static final Logger log = LoggerFactory.getLogger(PushSender.class);

    /** The sender is stopping: a push waiting for a retry is left 'sending', for whoever reads its PushDue next. */
    private static final class Abandoned extends Exception {
        Abandoned() {
            super(null, null, false, false);
        }
    }

    /** One push of the batch, with the payload shared by the PushDue's devices. */
    private record Job(DeliveryKey key, PushDue due, Subscription subscription, boolean muted,
                       Lazy<PushPayload> payload) {
    }

    private final AvroSerde<PushDue> serde = AvroSerde.of(PushDue.class);
    private final PushStore store;
    private final PushConfig config;
    private final PushMetrics metrics;
    private final Clock clock;
    private final PayloadReader payloads;
    private final DeviceRateLimiter rateLimiter;
    private final Backoff backoff;
    private final Map<Subscription.Kind, PushTransport> transports;
    private final Semaphore inFlight;
    private final HttpClient http;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("push-", 0).factory());

    public PushSender(DataSource database, PushConfig config, PushMetrics metrics, Clock clock,
                      PushEndpoints.Resolver resolver) {
        this.store = new PushStore(database);
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.payloads = new PayloadReader(store, stopping);
        this.rateLimiter = new DeviceRateLimiter(config.deviceRate(), clock);
        this.backoff = new Backoff(config.initialRetryDelay(), config.maxRetryDelay());
        this.http = WebPushTransport.httpClient(config.timeout());
        this.transports = Map.of(
                Subscription.Kind.WEBPUSH, new WebPushTransport(http, new VapidKeys(store), config, resolver, clock),
                Subscription.Kind.GATEWAY, new GatewayTransport(http, config.gatewayUrl(), config.timeout(), clock));
        this.inFlight = new Semaphore(config.concurrency());
    }

    @Override
    public void handle(ConsumerRecords<byte[], byte[]> records) throws RetryBatchException {
        Map<DeliveryKey, Job> jobs;
        try {
            jobs = jobs(records);
        } catch (SQLException e) {
            throw new RetryBatchException("push subscriptions not readable", e);
        }
        // one device's pushes in order, one after the other: a push service keeps the last push of a Topic it got,
        // which must be the newest, and the rate limit then skips the newest rather than any
        Map<String, List<Job>> byDevice = new LinkedHashMap<>();
        jobs.values().forEach(job -> byDevice.computeIfAbsent(job.key().userId() + '\u0000' + job.key().deviceId(),
                k -> new ArrayList<>()).add(job));
        List<Future<?>> running = new ArrayList<>(byDevice.size());
        for (List<Job> deviceJobs : byDevice.values()) {
            running.add(executor.submit(() -> {
                inFlight.acquire();
                try {
                    for (Job job : deviceJobs) {
                        deliver(job);
                    }
                } finally {
                    inFlight.release();
                }
                return null;
            }));
        }
        SQLException databaseFailure = null;
        int abandoned = 0;
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetryBatchException("interrupted while pushing", e);
            } catch (ExecutionException e) {
                switch (e.getCause()) {
                    case SQLException sql -> databaseFailure = sql;
                    case Abandoned ignored -> abandoned++;
                    case InterruptedException ignored -> abandoned++;
                    case RuntimeException runtime -> throw runtime;
                    case Error error -> throw error;
                    default -> throw new IllegalStateException(e.getCause());
                }
            }
        }
        if (databaseFailure != null) {
            // what was recorded stays; the rest is claimed again or sent again ('sending') when the batch is re-read
            throw new RetryBatchException("push outcomes not recordable", databaseFailure);
        }
        if (abandoned > 0) {
            throw new RetryBatchException(abandoned + " pushes left for the next reader while stopping", null);
        }
    }

    /** The batch's pushes, one per (device, conversation, seq) however often a PushDue came. */
    private Map<DeliveryKey, Job> jobs(ConsumerRecords<byte[], byte[]> records) throws SQLException {
        Map<DeliveryKey, Job> jobs = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            PushDue due = RecordDecoder.decode(serde, record);
            if (due == null || due.getDeviceIds().isEmpty()) {
                continue;
            }
            List<Subscription> subscriptions = store.subscriptions(due.getUserId(),
                    new LinkedHashSet<>(due.getDeviceIds()));
            if (subscriptions.isEmpty()) {
                continue;
            }
            boolean muted = store.muted(due.getUserId(), due.getConversationId(), clock.instant());
            boolean previews = subscriptions.stream().anyMatch(Subscription::previews);
            Lazy<PushPayload> payload = new Lazy<>(() -> payloads.read(due, previews));
            for (Subscription subscription : subscriptions) {
                DeliveryKey key = new DeliveryKey(due.getUserId(), subscription.deviceId(), due.getConversationId(),
                        due.getSeq());
                jobs.putIfAbsent(key, new Job(key, due, subscription, muted, payload));
            }
        }
        return jobs;
    }

    private void deliver(Job job) throws SQLException, InterruptedException, Abandoned {
        DeliveryKey key = job.key();
        if (job.muted()) {
            if (store.skip(key, PushMetrics.MUTED, clock.instant())) {
                metrics.skipped(PushMetrics.MUTED);
            }
            return;
        }
        PushStore.Claim claim = store.claim(key, clock.instant());
        if (claim == PushStore.Claim.DONE) {
            log.debug("push {} was handled before", key);
            return;
        }
        if (claim == PushStore.Claim.RESEND) {
            log.info("push {} was left mid-send: sending it again", key);
        }
        if (!rateLimiter.tryAcquire(key.userId(), key.deviceId())) {
            store.finish(key, "skipped", PushMetrics.RATE_LIMITED, 0, clock.instant());
            metrics.skipped(PushMetrics.RATE_LIMITED);
            return;
        }
        PushPayload full = job.payload().get();
        PushPayload payload = job.subscription().previews() ? full : full.withoutPreview();
        send(job, payload);
    }

    private void send(Job job, PushPayload payload) throws SQLException, InterruptedException, Abandoned {
        DeliveryKey key = job.key();
        Subscription subscription = job.subscription();
        PushTransport transport = transports.get(subscription.kind());
        for (int attempt = 1; ; attempt++) {
            Optional<Duration> retryAfter = Optional.empty();
            String problem;
            try {
                Answer answer = transport.send(subscription, payload);
                boolean rejected = subscription.pushKey() != null
                        && answer.rejected().contains(subscription.pushKey());
                if (answer.accepted() && !rejected) {
                    store.finish(key, "sent", null, attempt, clock.instant());
                    metrics.sent(subscription.kind(),
                            Duration.between(job.due().getSentAt(), clock.instant()));
                    return;
                }
                if (answer.gone() || answer.accepted()) {
                    // gone for good: the device subscribes again when its client next starts
                    if (store.removeSubscription(subscription)) {
                        metrics.subscriptionRemoved();
                    }
                    fail(key, PushMetrics.GONE, attempt, subscription + " is gone ("
                            + (answer.gone() ? "status " + answer.status() : "rejected by the push gateway") + ")");
                    return;
                }
                if (!answer.retryable()) {
                    fail(key, PushMetrics.REFUSED, attempt, "the push service refused " + key + " with "
                            + answer.status());
                    return;
                }
                retryAfter = answer.retryAfter();
                problem = "status " + answer.status();
            } catch (Refused e) {
                fail(key, PushMetrics.REFUSED, attempt, "push " + key + " refused: " + e.getMessage());
                return;
            } catch (IOException e) {
                problem = e.getClass().getSimpleName();
            }
            if (attempt >= config.maxAttempts()) {
                fail(key, PushMetrics.RETRIES_EXHAUSTED, attempt, "push " + key + " given up after " + attempt
                        + " tries, the last: " + problem);
                return;
            }
            Duration pause = backoff.next(attempt, retryAfter);
            log.debug("push {} try {} failed ({}); again in {}", key, attempt, problem, pause);
            if (stopping.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new Abandoned();
            }
        }
    }

    private void fail(DeliveryKey key, String reason, int attempts, String why) throws SQLException {
        store.finish(key, "failed", reason, attempts, clock.instant());
        metrics.failed(reason);
        log.info(why);
    }

    /** Ends the pauses between retries at once: their pushes are left for the next reader (see {@link #handle}). */
    public void stop() {
        stopping.countDown();
    }

    /** After the loop ended: nothing runs here any more. */
    public void close() {
        stopping.countDown();
        executor.shutdownNow();
        http.close();
    }

    /** The old-row cleanup of push_deliveries, on its own thread. */
    public PushJanitor janitor() {
        return new PushJanitor(store, config.cleanupInterval(), clock);
    }
}
