package io.kchat.assistant.model;

import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import io.kchat.settings.SharedSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How the assistant calls its OpenAI-compatible model (D15), every default in this one place. The API key is a
 * secret: {@link #toString()} never shows it.
 *
 * @param baseUrl           the API up to and including /v1; requests go to {@code <baseUrl>/chat/completions}
 * @param model             the model every request names
 * @param apiKey            sent as {@code Authorization: Bearer}; empty for a local server that wants none
 * @param connectTimeout    longest wait for the TCP (and TLS) connection
 * @param firstTokenTimeout longest wait from sending a request to the first piece of the answer (local servers load
 *                          the model on their first call)
 * @param idleTimeout       longest silence between two pieces of a streamed answer
 * @param answerTimeout     longest a whole answer takes, every attempt and pause between them included
 * @param maxAttempts       tries of one answer, the first included
 * @param retryBackoff      the ceiling of the first pause between attempts, doubled for each next one (full jitter)
 * @param maxRetryDelay     the longest pause between attempts, a {@code Retry-After} included
 * @param maxAnswerChars    where an answer is cut, in code points (a message body holds at most 16384)
 * @param maxTokens         sent as {@code max_tokens} when present
 * @param maxResponseBytes  the largest line of a streamed answer, and the largest non-streamed answer: beyond it the
 *                          answer is garbage, not a reason to hold ever more memory
 */
public record ModelClientConfig(URI baseUrl, String model, Optional<String> apiKey, Duration connectTimeout,
                                Duration firstTokenTimeout, Duration idleTimeout, Duration answerTimeout,
                                int maxAttempts, Duration retryBackoff, Duration maxRetryDelay, int maxAnswerChars,
                                OptionalInt maxTokens, int maxResponseBytes) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_FIRST_TOKEN_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_ANSWER_TIMEOUT = Duration.ofMinutes(3);
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofSeconds(30);
    /** Below the 16384 code points of a message body, leaving room for a note the worker appends. */
    public static final int DEFAULT_MAX_ANSWER_CHARS = 16_000;
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

    public static final Setting<String> BASE_URL = SharedSettings.ASSISTANT_BASE_URL;
    public static final Setting<String> MODEL = SharedSettings.ASSISTANT_MODEL;
    public static final Setting<String> API_KEY = Setting.optionalText("ASSISTANT_API_KEY",
            "no Authorization header (a local server)", "API key of the model's API, sent as a bearer token; a secret");
    public static final Setting<Duration> CONNECT_TIMEOUT = Setting.duration("ASSISTANT_CONNECT_TIMEOUT",
            DEFAULT_CONNECT_TIMEOUT, "longest wait for a connection to the model's API");
    public static final Setting<Duration> FIRST_TOKEN_TIMEOUT = Setting.duration("ASSISTANT_FIRST_TOKEN_TIMEOUT",
            DEFAULT_FIRST_TOKEN_TIMEOUT, "longest wait for the first piece of an answer (a local server loads the "
                    + "model on its first call)");
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.duration("ASSISTANT_IDLE_TIMEOUT",
            DEFAULT_IDLE_TIMEOUT, "longest silence between two pieces of a streamed answer");
    public static final Setting<Duration> ANSWER_TIMEOUT = Setting.duration("ASSISTANT_ANSWER_TIMEOUT",
            DEFAULT_ANSWER_TIMEOUT, "longest a whole answer takes, retries included");
    public static final Setting<Integer> MAX_ATTEMPTS = Setting.integer("ASSISTANT_MAX_ATTEMPTS",
            DEFAULT_MAX_ATTEMPTS, "tries of one answer (timeouts, 408, 425, 429, 5xx, broken or unreadable answers)");
    public static final Setting<Duration> RETRY_BACKOFF = Setting.duration("ASSISTANT_RETRY_BACKOFF",
            DEFAULT_RETRY_BACKOFF, "ceiling of the first pause before a retry, doubled for each next one (jittered)");
    public static final Setting<Duration> MAX_RETRY_DELAY = Setting.duration("ASSISTANT_MAX_RETRY_DELAY",
            DEFAULT_MAX_RETRY_DELAY, "longest pause before a retry, Retry-After included");
    public static final Setting<Integer> MAX_ANSWER_CHARS = Setting.integer("ASSISTANT_MAX_ANSWER_CHARS",
            DEFAULT_MAX_ANSWER_CHARS, "an answer is cut after this many characters (code points)");
    public static final Setting<Integer> MAX_TOKENS = Setting.integer("ASSISTANT_MAX_TOKENS", 0,
            "max_tokens of every request; 0: none sent, the model's own limit applies");

    /** Every setting of the model client, for the worker's catalogue. */
    public static final List<Setting<?>> SETTINGS = List.of(BASE_URL, MODEL, API_KEY, CONNECT_TIMEOUT,
            FIRST_TOKEN_TIMEOUT, IDLE_TIMEOUT, ANSWER_TIMEOUT, MAX_ATTEMPTS, RETRY_BACKOFF, MAX_RETRY_DELAY,
            MAX_ANSWER_CHARS, MAX_TOKENS);

    public ModelClientConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL");
        }
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        apiKey = Objects.requireNonNull(apiKey, "apiKey").filter(key -> !key.isBlank());
        Objects.requireNonNull(maxTokens, "maxTokens");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(firstTokenTimeout, "firstTokenTimeout");
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(answerTimeout, "answerTimeout");
        requirePositive(retryBackoff, "retryBackoff");
        requirePositive(maxRetryDelay, "maxRetryDelay");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        if (maxAnswerChars < 1) {
            throw new IllegalArgumentException("maxAnswerChars must be >= 1");
        }
        if (maxTokens.isPresent() && maxTokens.getAsInt() < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1");
        }
        if (maxResponseBytes < 1024) {
            throw new IllegalArgumentException("maxResponseBytes must be >= 1024");
        }
    }

    /** Defaults for everything but where the API is and which model it serves; no key. */
    public static ModelClientConfig of(URI baseUrl, String model) {
        return new ModelClientConfig(baseUrl, model, Optional.empty(), DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_FIRST_TOKEN_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_ANSWER_TIMEOUT, DEFAULT_MAX_ATTEMPTS,
                DEFAULT_RETRY_BACKOFF, DEFAULT_MAX_RETRY_DELAY, DEFAULT_MAX_ANSWER_CHARS, OptionalInt.empty(),
                DEFAULT_MAX_RESPONSE_BYTES);
    }

    /** The configured model client; empty when no model is configured (the assistant is off). */
    public static Optional<ModelClientConfig> fromSettings(Settings settings) {
        return SharedSettings.assistantModel(settings).map(model -> new ModelClientConfig(model.baseUrl(),
                model.model(), settings.find(API_KEY), settings.get(CONNECT_TIMEOUT), settings.get(FIRST_TOKEN_TIMEOUT),
                settings.get(IDLE_TIMEOUT), settings.get(ANSWER_TIMEOUT), settings.get(MAX_ATTEMPTS),
                settings.get(RETRY_BACKOFF), settings.get(MAX_RETRY_DELAY), settings.get(MAX_ANSWER_CHARS),
                settings.find(MAX_TOKENS).filter(tokens -> tokens != 0).map(OptionalInt::of)
                        .orElse(OptionalInt.empty()),
                DEFAULT_MAX_RESPONSE_BYTES));
    }

    /** {@code <baseUrl>/chat/completions}, whether or not the base URL ends with a slash. */
    public URI completionsUri() {
        String base = baseUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/chat/completions");
    }

    public ModelClientConfig withApiKey(String key) {
        return new ModelClientConfig(baseUrl, model, Optional.ofNullable(key), connectTimeout, firstTokenTimeout,
                idleTimeout, answerTimeout, maxAttempts, retryBackoff, maxRetryDelay, maxAnswerChars, maxTokens,
                maxResponseBytes);
    }

    public ModelClientConfig withTimeouts(Duration connect, Duration firstToken, Duration idle, Duration answer) {
        return new ModelClientConfig(baseUrl, model, apiKey, connect, firstToken, idle, answer, maxAttempts,
                retryBackoff, maxRetryDelay, maxAnswerChars, maxTokens, maxResponseBytes);
    }

    public ModelClientConfig withRetries(int attempts, Duration backoff, Duration maxDelay) {
        return new ModelClientConfig(baseUrl, model, apiKey, connectTimeout, firstTokenTimeout, idleTimeout,
                answerTimeout, attempts, backoff, maxDelay, maxAnswerChars, maxTokens, maxResponseBytes);
    }

    public ModelClientConfig withLimits(int answerChars, OptionalInt tokens, int responseBytes) {
        return new ModelClientConfig(baseUrl, model, apiKey, connectTimeout, firstTokenTimeout, idleTimeout,
                answerTimeout, maxAttempts, retryBackoff, maxRetryDelay, answerChars, tokens, responseBytes);
    }

    /** Without the key: a config is logged at start. */
    @Override
    public String toString() {
        return "ModelClientConfig[baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
                + (apiKey.isPresent() ? "***" : "none") + ", connectTimeout=" + connectTimeout
                + ", firstTokenTimeout=" + firstTokenTimeout + ", idleTimeout=" + idleTimeout + ", answerTimeout="
                + answerTimeout + ", maxAttempts=" + maxAttempts + ", retryBackoff=" + retryBackoff
                + ", maxRetryDelay=" + maxRetryDelay + ", maxAnswerChars=" + maxAnswerChars + ", maxTokens="
                + (maxTokens.isPresent() ? Integer.toString(maxTokens.getAsInt()) : "none") + ", maxResponseBytes="
                + maxResponseBytes + "]";
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
