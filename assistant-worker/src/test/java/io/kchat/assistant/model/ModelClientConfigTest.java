package io.kchat.assistant.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.settings.Setting;
import io.kchat.settings.SettingException;
import io.kchat.settings.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModelClientConfigTest {

    private static final String KEY = "sk-test-0123456789abcdef";

    private static Map<String, String> model() {
        Map<String, String> env = new HashMap<>();
        env.put("ASSISTANT_BASE_URL", "http://127.0.0.1:11434/v1");
        env.put("ASSISTANT_MODEL", "llama3.2");
        return env;
    }

    @Test
    void noModelMeansNoAssistant() {
        assertEquals(Optional.empty(), ModelClientConfig.fromSettings(Settings.of(Map.of())));
        assertThrows(SettingException.class, () -> ModelClientConfig.fromSettings(
                Settings.of(Map.of("ASSISTANT_MODEL", "gpt-4o-mini"))));
    }

    @Test
    void defaultsAreThoseOfOf() {
        ModelClientConfig config = ModelClientConfig.fromSettings(Settings.of(model())).orElseThrow();
        assertEquals(ModelClientConfig.of(URI.create("http://127.0.0.1:11434/v1"), "llama3.2"), config);
        assertEquals(Optional.empty(), config.apiKey());
        assertEquals(Duration.ofSeconds(10), config.connectTimeout());
        assertEquals(Duration.ofSeconds(60), config.firstTokenTimeout());
        assertEquals(Duration.ofSeconds(30), config.idleTimeout());
        assertEquals(Duration.ofMinutes(3), config.answerTimeout());
        assertEquals(3, config.maxAttempts());
        assertEquals(Duration.ofSeconds(1), config.retryBackoff());
        assertEquals(Duration.ofSeconds(30), config.maxRetryDelay());
        assertEquals(16_000, config.maxAnswerChars());
        assertEquals(OptionalInt.empty(), config.maxTokens());
    }

    @Test
    void everySettingIsRead() {
        Map<String, String> env = model();
        env.put("ASSISTANT_API_KEY", KEY);
        env.put("ASSISTANT_CONNECT_TIMEOUT", "2s");
        env.put("ASSISTANT_FIRST_TOKEN_TIMEOUT", "3s");
        env.put("ASSISTANT_IDLE_TIMEOUT", "4s");
        env.put("ASSISTANT_ANSWER_TIMEOUT", "5m");
        env.put("ASSISTANT_MAX_ATTEMPTS", "5");
        env.put("ASSISTANT_RETRY_BACKOFF", "250ms");
        env.put("ASSISTANT_MAX_RETRY_DELAY", "10s");
        env.put("ASSISTANT_MAX_ANSWER_CHARS", "8000");
        env.put("ASSISTANT_MAX_TOKENS", "1024");
        ModelClientConfig config = ModelClientConfig.fromSettings(Settings.of(env)).orElseThrow();
        assertEquals(Optional.of(KEY), config.apiKey());
        assertEquals(Duration.ofSeconds(2), config.connectTimeout());
        assertEquals(Duration.ofSeconds(3), config.firstTokenTimeout());
        assertEquals(Duration.ofSeconds(4), config.idleTimeout());
        assertEquals(Duration.ofMinutes(5), config.answerTimeout());
        assertEquals(5, config.maxAttempts());
        assertEquals(Duration.ofMillis(250), config.retryBackoff());
        assertEquals(Duration.ofSeconds(10), config.maxRetryDelay());
        assertEquals(8000, config.maxAnswerChars());
        assertEquals(OptionalInt.of(1024), config.maxTokens());

        Set<String> names = ModelClientConfig.SETTINGS.stream().map(Setting::name).collect(Collectors.toSet());
        assertTrue(names.containsAll(env.keySet()), "every setting read is declared: " + names);
        assertEquals(env.keySet(), names);
    }

    @Test
    void maxTokensZeroSendsNone() {
        Map<String, String> env = model();
        env.put("ASSISTANT_MAX_TOKENS", "0");
        assertEquals(OptionalInt.empty(), ModelClientConfig.fromSettings(Settings.of(env)).orElseThrow().maxTokens());
    }

    @Test
    void theKeyNeverShows() {
        ModelClientConfig config = ModelClientConfig.of(URI.create("https://api.openai.com/v1"), "gpt-4o-mini")
                .withApiKey(KEY);
        assertFalse(config.toString().contains(KEY), config.toString());
        assertTrue(config.toString().contains("apiKey=***"));
        assertTrue(config.toString().contains("gpt-4o-mini"));
        assertTrue(ModelClientConfig.of(URI.create("https://api.openai.com/v1"), "m").toString().contains("apiKey=none"));
        assertEquals(Optional.empty(), config.withApiKey("  ").apiKey(), "a blank key is no key");
    }

    @Test
    void theCompletionsPathJoinsWithOrWithoutASlash() {
        assertEquals(URI.create("https://api.openai.com/v1/chat/completions"),
                ModelClientConfig.of(URI.create("https://api.openai.com/v1"), "m").completionsUri());
        assertEquals(URI.create("http://127.0.0.1:11434/v1/chat/completions"),
                ModelClientConfig.of(URI.create("http://127.0.0.1:11434/v1/"), "m").completionsUri());
    }

    @Test
    void nonsenseIsRefused() {
        ModelClientConfig config = ModelClientConfig.of(URI.create("http://localhost/v1"), "m");
        assertThrows(IllegalArgumentException.class, () -> ModelClientConfig.of(URI.create("ftp://x/v1"), "m"));
        assertThrows(IllegalArgumentException.class, () -> ModelClientConfig.of(URI.create("/v1"), "m"));
        assertThrows(IllegalArgumentException.class, () -> ModelClientConfig.of(URI.create("http://x/v1"), " "));
        assertThrows(IllegalArgumentException.class, () -> config.withRetries(0, Duration.ofSeconds(1),
                Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> config.withTimeouts(Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> config.withLimits(0, OptionalInt.empty(), 4096));
        assertThrows(IllegalArgumentException.class, () -> config.withLimits(10, OptionalInt.of(-1), 4096));
    }
}
