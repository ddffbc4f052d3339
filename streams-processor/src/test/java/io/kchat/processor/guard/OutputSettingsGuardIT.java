package io.kchat.processor.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guard against the settings topic on the shared broker, one topic (a unique prefix) per test. */
class OutputSettingsGuardIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final OutputSettings DEFAULTS = new OutputSettings(Duration.ofDays(7), 10_000, Duration.ofDays(30),
            Duration.ofSeconds(1));
    private static final OutputSettings FEWER_EVENTS = new OutputSettings(Duration.ofDays(7), 500, Duration.ofDays(30),
            Duration.ofSeconds(1));

    private final String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
    private Admin admin;
    private Topic<String, String> topic;
    private String applicationId;
    private OutputSettingsRecord record;
    private OutputSettingsGuard guard;

    @BeforeEach
    void createTheTopic() {
        String prefix = SharedInfrastructure.uniquePrefix("output-settings");
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        topic = new TopicCatalogue(prefix).processorSettings();
        new TopicProvisioner(admin, (short) 1).ensure(List.of(topic));
        applicationId = prefix + "kchat-processor";
        record = new OutputSettingsRecord(bootstrap, topic, applicationId, TIMEOUT);
        guard = new OutputSettingsGuard(record);
    }

    @AfterEach
    void closeAdmin() {
        admin.close();
    }

    @Test
    void theFirstStartRecordsItsSettings() throws Exception {
        assertEquals(Optional.empty(), record.read());

        guard.verify(DEFAULTS, false);

        assertEquals(Optional.of(DEFAULTS.description()), record.read());
        assertEquals(1, recordsWritten());
    }

    @Test
    void aStartWithTheRecordedSettingsGoesOnWithoutRecordingThemAgain() throws Exception {
        guard.verify(DEFAULTS, false);

        guard.verify(DEFAULTS, false);
        guard.verify(new OutputSettings(Duration.ofHours(168), 10_000, Duration.ofDays(30), Duration.ofMillis(1000)), false);

        assertEquals(1, recordsWritten());
    }

    @Test
    void aChangedEventCountIsRefusedNamingTheSettingItsRecordedAndItsNewValue() throws Exception {
        guard.verify(DEFAULTS, false);

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> guard.verify(FEWER_EVENTS, false));

        String message = refused.getMessage();
        assertTrue(message.contains("USER_LOG_MAX_EVENTS was 10000, is now 500"), message);
        assertFalse(message.contains("DEDUPE_WINDOW") || message.contains("USER_LOG_MAX_AGE"), "only the change: " + message);
        assertTrue(message.contains("SIGTERM") && message.contains("PROCESSOR_SETTINGS_MIGRATION=true"),
                "what to do: " + message);
        assertEquals(Optional.of(DEFAULTS.description()), record.read(), "the recorded settings stay");
        assertEquals(1, recordsWritten());
    }

    @Test
    void aMigrationRecordsTheChangedSettingsWhichTheNextStartsAreHeldTo() throws Exception {
        guard.verify(DEFAULTS, false);

        guard.verify(FEWER_EVENTS, true);

        assertEquals(Optional.of(FEWER_EVENTS.description()), record.read());
        guard.verify(FEWER_EVENTS, false);
        IllegalStateException back = assertThrows(IllegalStateException.class, () -> guard.verify(DEFAULTS, false));
        assertTrue(back.getMessage().contains("USER_LOG_MAX_EVENTS was 500, is now 10000"), back.getMessage());
    }

    @Test
    void aRecordFromBeforeTheReceiptIntervalExistedIsCompletedNotRefused() throws Exception {
        record.write("dedupeWindow=7d;userLogMaxEvents=10000;userLogMaxAge=30d");

        guard.verify(DEFAULTS, false);

        assertEquals(Optional.of(DEFAULTS.description()), record.read(), "recorded with every key from now on");
        assertEquals(2, recordsWritten());
        IllegalStateException changed = assertThrows(IllegalStateException.class, () -> guard.verify(
                new OutputSettings(Duration.ofDays(7), 10_000, Duration.ofDays(30), Duration.ZERO), false));
        assertTrue(changed.getMessage().contains("RECEIPT_INTERVAL was 1s, is now 0ms"), changed.getMessage());
    }

    @Test
    void theLatestRecordOfItsOwnApplicationIdCounts() throws Exception {
        OutputSettingsRecord another = new OutputSettingsRecord(bootstrap, topic, applicationId + "-another", TIMEOUT);

        record.write(DEFAULTS.description());
        record.write(FEWER_EVENTS.description());
        another.write(DEFAULTS.description());

        assertEquals(Optional.of(FEWER_EVENTS.description()), record.read());
        assertEquals(Optional.of(DEFAULTS.description()), another.read());
        guard.verify(FEWER_EVENTS, false);
    }

    @Test
    void anUnreadableRecordIsRefusedUnlessMigrating() throws Exception {
        record.write("written by hand");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> guard.verify(DEFAULTS, false));
        assertTrue(refused.getMessage().contains("'written by hand' does not read"), refused.getMessage());

        guard.verify(DEFAULTS, true);
        assertEquals(Optional.of(DEFAULTS.description()), record.read());
    }

    /** Each write is one offset: the topic is written without transactions. */
    private long recordsWritten() throws ExecutionException, InterruptedException {
        TopicPartition partition = new TopicPartition(topic.name(), 0);
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
    }
}
