package io.kchat.assistant.model;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChatModel} over any OpenAI-compatible chat-completions API (D15), with the JDK's HTTP client: it asks for
 * a streamed answer and reads server-sent events, or a whole JSON completion from a server that does not stream.
 * Every attempt is bounded by the first-token, idle and answer timeouts (see {@link Deadlines}) and the answer by
 * {@link ModelClientConfig#maxAnswerChars()}; failures worth another try are retried with backoff (see
 * {@link RetryDelays}). Thread-safe: one instance serves concurrent answers. Logs never hold the key or the prompt.
 */
public final class OpenAiChatModel implements ChatModel, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpenAiChatModel.class);

    private final ModelClientConfig config;
    private final HttpClient client;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RetryDelays delays;

    public OpenAiChatModel(ModelClientConfig config) {
        this(config, Clock.systemUTC(), Sleeper.REAL);
    }

    /** {@code clock} reads Retry-After dates; {@code sleeper} makes the pauses between attempts. */
    public OpenAiChatModel(ModelClientConfig config, Clock clock, Sleeper sleeper) {
        this(config, clock, sleeper, () -> ThreadLocalRandom.current().nextDouble());
    }

    OpenAiChatModel(ModelClientConfig config, Clock clock, Sleeper sleeper, DoubleSupplier jitter) {
        this.config = config;
        this.clock = clock;
        this.sleeper = sleeper;
        this.delays = new RetryDelays(config.retryBackoff(), config.maxRetryDelay(), jitter);
        String scheme = config.baseUrl().getScheme().toLowerCase(Locale.ROOT);
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                // plain http is a local server: no h2c upgrade dance; https negotiates HTTP/2 by ALPN
                .version(scheme.equals("http") ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2)
                .build();
    }

    @Override
    public Answer answer(List<ChatTurn> turns, AnswerListener listener) throws ModelFailure, InterruptedException {
        HttpRequest request = CompletionRequest.of(config, turns);
        long started = System.nanoTime();
        long deadline = started + config.answerTimeout().toNanos();
        AttemptFailure last = null;
        for (int attempt = 1; ; attempt++) {
            if (last != null) {
                Duration pause = delays.before(attempt - 1, last.retryAfter());
                if (pause.toNanos() >= deadline - System.nanoTime()) {
                    log.warn("Model answer given up: the pause before attempt {} ({}) would pass the answer timeout",
                            attempt, pause);
                    throw last.toModelFailure();
                }
                sleeper.sleep(pause);
                listener.restarted();
            }
            try {
                Answer answer = attempt(request, listener, deadline);
                log.debug("Model answered in {} ms at attempt {}: {} chars{}",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), attempt, answer.text().length(),
                        answer.truncated() ? ", truncated" : "");
                return answer;
            } catch (AttemptFailure failure) {
                last = failure;
                boolean again = failure.retryable() && attempt < config.maxAttempts();
                log.warn("Model attempt {} of {} failed ({}): {}{}", attempt, config.maxAttempts(),
                        failure.kind().label(), failure.getMessage(), again ? "; retrying" : "");
                if (!again) {
                    throw failure.toModelFailure();
                }
            }
        }
    }

    private Answer attempt(HttpRequest request, AnswerListener listener, long answerDeadline)
            throws AttemptFailure, InterruptedException {
        Deadlines deadlines = new Deadlines(System::nanoTime, config.firstTokenTimeout(), config.idleTimeout(),
                answerDeadline);
        CompletableFuture<HttpResponse<BodyQueue>> sent = client.sendAsync(request, info -> new BodyQueue());
        HttpResponse<BodyQueue> response = headers(sent, deadlines);
        BodyQueue body = response.body();
        try {
            checkStatus(response);
            return read(body, new CompletionDecoder(config.maxResponseBytes()), listener, deadlines);
        } finally {
            body.cancel();
        }
    }

    private static HttpResponse<BodyQueue> headers(CompletableFuture<HttpResponse<BodyQueue>> sent,
                                                   Deadlines deadlines) throws AttemptFailure, InterruptedException {
        try {
            return sent.get(Math.max(0, deadlines.remainingNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandon(sent);
            throw deadlines.expired();
        } catch (InterruptedException e) {
            abandon(sent);
            throw e;
        } catch (ExecutionException e) {
            throw connectionFailure(e.getCause());
        }
    }

    /** Cancels the exchange; should the headers have come meanwhile, closes their body. */
    private static void abandon(CompletableFuture<HttpResponse<BodyQueue>> sent) {
        sent.cancel(true);
        sent.thenAccept(response -> response.body().cancel());
    }

    private static AttemptFailure connectionFailure(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return AttemptFailure.retryable(FailureKind.TIMEOUT, "no connection within the connect timeout", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return AttemptFailure.retryable(FailureKind.TIMEOUT, "the request timed out", cause);
        }
        if (cause instanceof IOException) {
            return AttemptFailure.retryable(FailureKind.UNAVAILABLE,
                    "the connection failed (" + cause.getClass().getSimpleName() + ")", cause);
        }
        return new AttemptFailure(FailureKind.UNAVAILABLE, false,
                "the request could not be made (" + cause.getClass().getSimpleName() + ")", null, cause);
    }

    /** 2xx is read; 429, 408, 425 and 5xx are worth another attempt, after Retry-After when given; other 4xx not. */
    private void checkStatus(HttpResponse<?> response) throws AttemptFailure {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        Optional<Duration> retryAfter = response.headers().firstValue("Retry-After")
                .flatMap(value -> RetryDelays.retryAfter(value, clock.instant()));
        String message = "HTTP " + status;
        if (status == 429) {
            throw new AttemptFailure(FailureKind.RATE_LIMITED, true, message, retryAfter.orElse(null), null);
        }
        if (status == 408 || status == 425 || status >= 500) {
            throw new AttemptFailure(FailureKind.UNAVAILABLE, true, message, retryAfter.orElse(null), null);
        }
        throw AttemptFailure.fatal(FailureKind.REFUSED, message);
    }

    private Answer read(BodyQueue body, CompletionDecoder decoder, AnswerListener listener, Deadlines deadlines)
            throws AttemptFailure, InterruptedException {
        AnswerText text = new AnswerText(config.maxAnswerChars());
        while (true) {
            long wait = deadlines.remainingNanos();
            if (wait <= 0) {
                throw deadlines.expired();
            }
            BodyQueue.Item item = body.poll(wait);
            switch (item) {
                case null -> {
                    // a deadline passed: the next round says which
                }
                case BodyQueue.Bytes bytes -> {
                    for (ByteBuffer buffer : bytes.buffers()) {
                        for (CompletionChunk chunk : decoder.feed(buffer)) {
                            Answer answer = take(chunk, text, listener, deadlines);
                            if (answer != null) {
                                return answer;
                            }
                        }
                    }
                    body.more();
                }
                case BodyQueue.End end -> {
                    for (CompletionChunk chunk : decoder.end()) {
                        Answer answer = take(chunk, text, listener, deadlines);
                        if (answer != null) {
                            return answer;
                        }
                    }
                    throw decoder.events() == 0
                            ? AttemptFailure.retryable(FailureKind.GARBAGE, "a body without any event")
                            : AttemptFailure.retryable(FailureKind.BROKEN, "the stream ended before the model finished");
                }
                case BodyQueue.Failed failed -> throw AttemptFailure.retryable(FailureKind.BROKEN,
                        "the connection broke (" + failed.error().getClass().getSimpleName() + ")", failed.error());
            }
        }
    }

    /** Reports the chunk's text; the answer when it is complete (finished, or cut at the cap), else null. */
    private static Answer take(CompletionChunk chunk, AnswerText text, AnswerListener listener, Deadlines deadlines)
            throws AttemptFailure {
        deadlines.event(!chunk.text().isEmpty() || chunk.thinking());
        if (!chunk.text().isEmpty()) {
            String fits = text.add(chunk.text());
            if (!fits.isEmpty()) {
                listener.delta(fits);
            }
            if (text.full()) {
                return new Answer(text.text(), true);
            }
        }
        if (chunk.finished()) {
            if (text.isEmpty()) {
                throw AttemptFailure.fatal(FailureKind.EMPTY, "the model finished without any text");
            }
            return new Answer(text.text(), chunk.cutByModel());
        }
        return null;
    }

    /** Ends the HTTP client's threads and connections; answers in progress fail. */
    @Override
    public void close() {
        client.shutdownNow();
    }

    @Override
    public String toString() {
        return "OpenAiChatModel[" + config.model() + " at " + config.baseUrl() + "]";
    }
}
