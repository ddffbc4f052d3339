package io.kchat.assistant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.settings.Setting;
import io.kchat.settings.SettingException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class AssistantConfigTest {

    private static final Map<String, String> MINIMAL = Map.of("DATABASE_URL", "jdbc:postgresql://db:5432/kchat");

    @Test
    void defaultsWithoutAModelLeaveTheAssistantOff() {
        AssistantConfig config = AssistantConfig.fromEnv(MINIMAL);

        assertTrue(config.model().isEmpty());
        assertEquals("127.0.0.1:9092", config.bootstrapServers());
        assertEquals("kchat-assistant", config.groupId());
        assertEquals(AnswerSettings.DEFAULTS, config.answers());
        assertEquals(20, config.answers().contextMessages());
        assertEquals(12_000, config.answers().contextChars());
        assertEquals(20, config.answers().userRate());
        assertEquals(2, config.answers().userConcurrency());
        assertEquals(16, config.answers().concurrency());
        assertEquals(Duration.ofMinutes(15), config.answers().maxQuestionAge());
        assertEquals(Duration.ofMillis(100), config.answers().streamInterval());
        assertFalse(config.answers().systemPrompt().isBlank());
        assertEquals(DatabaseSettings.DEFAULT_POOL_SIZE, config.database().poolSize());
    }

    @Test
    void readsEverySetting() {
        Map<String, String> env = new HashMap<>(MINIMAL);
        env.putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "CHAT_TOPIC_PREFIX", "p-",
                "ASSISTANT_BASE_URL", "http://127.0.0.1:11434/v1", "ASSISTANT_MODEL", "llama3.2",
                "ASSISTANT_SYSTEM_PROMPT", "Be brief.", "ASSISTANT_CONTEXT_MESSAGES", "5",
                "ASSISTANT_CONTEXT_CHARS", "3000", "ASSISTANT_USER_RATE", "7", "ASSISTANT_USER_CONCURRENCY", "1",
                "ASSISTANT_CONCURRENCY", "4"));
        env.putAll(Map.of("ASSISTANT_MAX_QUESTION_AGE", "2m", "ASSISTANT_STREAM_INTERVAL", "0ms",
                "DATABASE_POOL_SIZE", "9"));

        AssistantConfig config = AssistantConfig.fromEnv(env);

        assertEquals(URI.create("http://127.0.0.1:11434/v1"), config.model().orElseThrow().baseUrl());
        assertEquals("llama3.2", config.model().orElseThrow().model());
        assertEquals("p-kchat-assistant", config.groupId());
        assertEquals("p-chat.messages", config.catalogue().messages().name());
        assertEquals(new AnswerSettings("Be brief.", 5, 3000, 7, 1, 4, Duration.ofMinutes(2), Duration.ZERO),
                config.answers());
        assertEquals(9, config.database().poolSize());
        assertEquals("kafka:9092", config.questionConsumerProperties().get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    @Test
    void consumesCommittedMessagesCommittingByHandAndAnswersDurably() {
        AssistantConfig config = AssistantConfig.fromEnv(MINIMAL);

        assertEquals("read_committed", config.questionConsumerProperties().get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertEquals(false, config.questionConsumerProperties().get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        assertFalse(config.stopConsumerProperties().containsKey(ConsumerConfig.GROUP_ID_CONFIG));
        assertEquals("all", config.answerProducerProperties().get(ProducerConfig.ACKS_CONFIG));
        assertEquals(true, config.answerProducerProperties().get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals(false, config.streamProducerProperties().get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
    }

    @Test
    void toStringHidesTheSecrets() {
        Map<String, String> env = new HashMap<>(MINIMAL);
        env.putAll(Map.of("DATABASE_PASSWORD", "db-secret-123", "ASSISTANT_API_KEY", "sk-secret-456",
                "ASSISTANT_BASE_URL", "https://api.openai.com/v1", "ASSISTANT_MODEL", "gpt-4o-mini"));

        String text = AssistantConfig.fromEnv(env).toString();

        assertFalse(text.contains("db-secret-123"), text);
        assertFalse(text.contains("sk-secret-456"), text);
        assertTrue(text.contains("model=on"), text);
    }

    @Test
    void refusesValuesOutOfRange() {
        for (String bad : List.of("ASSISTANT_CONCURRENCY=0", "ASSISTANT_USER_CONCURRENCY=0", "ASSISTANT_USER_RATE=0",
                "ASSISTANT_CONTEXT_CHARS=0", "ASSISTANT_CONTEXT_MESSAGES=-1", "ASSISTANT_MAX_QUESTION_AGE=0s")) {
            Map<String, String> env = new HashMap<>(MINIMAL);
            String[] pair = bad.split("=");
            env.put(pair[0], pair[1]);
            assertThrows(IllegalArgumentException.class, () -> AssistantConfig.fromEnv(env), bad);
        }
        assertThrows(SettingException.class, () -> AssistantConfig.fromEnv(Map.of()), "DATABASE_URL is required");
        Map<String, String> halfAModel = new HashMap<>(MINIMAL);
        halfAModel.put("ASSISTANT_MODEL", "gpt-4o-mini");
        assertThrows(SettingException.class, () -> AssistantConfig.fromEnv(halfAModel));
    }

    @Test
    void declaresEachSettingOnceWithTheWorkersOwn() {
        Set<String> names = AssistantConfig.SETTINGS.stream().map(Setting::name).collect(Collectors.toSet());

        assertEquals(AssistantConfig.SETTINGS.size(), names.size());
        assertTrue(names.containsAll(Set.of("ASSISTANT_SYSTEM_PROMPT", "ASSISTANT_CONTEXT_MESSAGES",
                "ASSISTANT_CONTEXT_CHARS", "ASSISTANT_USER_RATE", "ASSISTANT_USER_CONCURRENCY", "ASSISTANT_CONCURRENCY",
                "ASSISTANT_MAX_QUESTION_AGE", "ASSISTANT_STREAM_INTERVAL", "ASSISTANT_BASE_URL", "ASSISTANT_MODEL",
                "DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "CHAT_TOPIC_PREFIX", "HEALTH_PORT", "LOG_FORMAT")), names::toString);
    }
}
