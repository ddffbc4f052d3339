package io.kchat.assistant;

import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the worker answers, with every default in this one place.
 *
 * @param systemPrompt    the first turn of every context
 * @param contextMessages most earlier messages of the conversation given to the model with a question
 * @param contextChars    most characters (UTF-16 units) of earlier messages and question together; a longer question
 *                        is cut to it, and the earlier messages get what the question leaves
 * @param userRate        questions per user per minute (sliding, per instance); more get a failed answer at once
 * @param userConcurrency answers written at once for one user per instance; more wait their turn
 * @param concurrency     answers in flight per instance; the consumer pauses when as many questions wait
 * @param maxQuestionAge  an older question (the worker was down) gets a failed answer saying so, not a model's
 * @param streamInterval  deltas go out batched at most this often; 0 sends every delta at once
 */
public record AnswerSettings(String systemPrompt, int contextMessages, int contextChars, int userRate,
                             int userConcurrency, int concurrency, Duration maxQuestionAge, Duration streamInterval) {

    public static final String DEFAULT_SYSTEM_PROMPT = "You are the assistant in a chat app. Answer the person's "
            + "messages helpfully, accurately and concisely, in the language they write in. Say so when you do not "
            + "know.";
    public static final int DEFAULT_CONTEXT_MESSAGES = 20;
    public static final int DEFAULT_CONTEXT_CHARS = 12_000;
    public static final int DEFAULT_USER_RATE = 20;
    public static final int DEFAULT_USER_CONCURRENCY = 2;
    public static final int DEFAULT_CONCURRENCY = 16;
    public static final Duration DEFAULT_MAX_QUESTION_AGE = Duration.ofMinutes(15);
    public static final Duration DEFAULT_STREAM_INTERVAL = Duration.ofMillis(100);

    public static final AnswerSettings DEFAULTS = new AnswerSettings(DEFAULT_SYSTEM_PROMPT, DEFAULT_CONTEXT_MESSAGES,
            DEFAULT_CONTEXT_CHARS, DEFAULT_USER_RATE, DEFAULT_USER_CONCURRENCY, DEFAULT_CONCURRENCY,
            DEFAULT_MAX_QUESTION_AGE, DEFAULT_STREAM_INTERVAL);

    public static final Setting<String> SYSTEM_PROMPT = Setting.text("ASSISTANT_SYSTEM_PROMPT", DEFAULT_SYSTEM_PROMPT,
            "the system prompt, the first turn of every context");
    public static final Setting<Integer> CONTEXT_MESSAGES = Setting.integer("ASSISTANT_CONTEXT_MESSAGES",
            DEFAULT_CONTEXT_MESSAGES, "most earlier messages of the conversation sent with a question");
    public static final Setting<Integer> CONTEXT_CHARS = Setting.integer("ASSISTANT_CONTEXT_CHARS",
            DEFAULT_CONTEXT_CHARS, "most characters of earlier messages and question together");
    public static final Setting<Integer> USER_RATE = Setting.integer("ASSISTANT_USER_RATE", DEFAULT_USER_RATE,
            "questions per user per minute and instance; more get a failed answer at once");
    public static final Setting<Integer> USER_CONCURRENCY = Setting.integer("ASSISTANT_USER_CONCURRENCY",
            DEFAULT_USER_CONCURRENCY, "answers written at once for one user per instance; more wait");
    public static final Setting<Integer> CONCURRENCY = Setting.integer("ASSISTANT_CONCURRENCY", DEFAULT_CONCURRENCY,
            "answers in flight per instance");
    public static final Setting<Duration> MAX_QUESTION_AGE = Setting.duration("ASSISTANT_MAX_QUESTION_AGE",
            DEFAULT_MAX_QUESTION_AGE, "an older question gets a failed answer saying the assistant was unavailable");
    public static final Setting<Duration> STREAM_INTERVAL = Setting.duration("ASSISTANT_STREAM_INTERVAL",
            DEFAULT_STREAM_INTERVAL, "partial answers are relayed at most this often; 0ms relays every delta");

    static final List<Setting<?>> SETTINGS = List.of(SYSTEM_PROMPT, CONTEXT_MESSAGES, CONTEXT_CHARS, USER_RATE,
            USER_CONCURRENCY, CONCURRENCY, MAX_QUESTION_AGE, STREAM_INTERVAL);

    public AnswerSettings {
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        requireAtLeast(contextMessages, 0, CONTEXT_MESSAGES);
        requireAtLeast(contextChars, 1, CONTEXT_CHARS);
        requireAtLeast(userRate, 1, USER_RATE);
        requireAtLeast(userConcurrency, 1, USER_CONCURRENCY);
        requireAtLeast(concurrency, 1, CONCURRENCY);
        Objects.requireNonNull(maxQuestionAge, "maxQuestionAge");
        Objects.requireNonNull(streamInterval, "streamInterval");
        if (maxQuestionAge.isNegative() || maxQuestionAge.isZero()) {
            throw new IllegalArgumentException(MAX_QUESTION_AGE.name() + " must be positive");
        }
        if (streamInterval.isNegative()) {
            throw new IllegalArgumentException(STREAM_INTERVAL.name() + " must not be negative");
        }
    }

    static AnswerSettings from(Settings settings) {
        return new AnswerSettings(settings.get(SYSTEM_PROMPT), settings.get(CONTEXT_MESSAGES),
                settings.get(CONTEXT_CHARS), settings.get(USER_RATE), settings.get(USER_CONCURRENCY),
                settings.get(CONCURRENCY), settings.get(MAX_QUESTION_AGE), settings.get(STREAM_INTERVAL));
    }

    public AnswerSettings withUserRate(int newUserRate) {
        return new AnswerSettings(systemPrompt, contextMessages, contextChars, newUserRate, userConcurrency,
                concurrency, maxQuestionAge, streamInterval);
    }

    public AnswerSettings withContext(int newContextMessages, int newContextChars) {
        return new AnswerSettings(systemPrompt, newContextMessages, newContextChars, userRate, userConcurrency,
                concurrency, maxQuestionAge, streamInterval);
    }

    public AnswerSettings withMaxQuestionAge(Duration newMaxQuestionAge) {
        return new AnswerSettings(systemPrompt, contextMessages, contextChars, userRate, userConcurrency,
                concurrency, newMaxQuestionAge, streamInterval);
    }

    private static void requireAtLeast(int value, int min, Setting<?> setting) {
        if (value < min) {
            throw new IllegalArgumentException(setting.name() + " must be at least " + min + ", not " + value);
        }
    }
}
