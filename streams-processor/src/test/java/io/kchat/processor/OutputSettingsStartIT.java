package io.kchat.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.infra.SharedInfrastructure;
import io.kchat.processor.guard.OutputSettingsRecord;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ProcessorApp asks the output-settings guard before Streams starts, with the processor's own settings and its
 * migration flag: the cases of the guard itself are in {@code OutputSettingsGuardIT}.
 */
class OutputSettingsStartIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    @TempDir
    Path stateDir;

    @Test
    void aProcessorWhoseEventCountChangedRefusesToStartUntilAMigration() throws Exception {
        String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        String prefix = SharedInfrastructure.uniquePrefix("output-settings-start");
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap, "CHAT_TOPIC_PREFIX", prefix, "CHAT_STATE_DIR", stateDir.toString()));
        ProcessorConfig before = ProcessorConfig.fromEnv(env);
        env.put("USER_LOG_MAX_EVENTS", "500");
        ProcessorConfig fewerEvents = ProcessorConfig.fromEnv(env);
        env.put("PROCESSOR_SETTINGS_MIGRATION", "true");
        ProcessorConfig migrating = ProcessorConfig.fromEnv(env);
        TopicCatalogue topics = new TopicCatalogue(prefix);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicProvisioner(admin, (short) 1).ensure(List.of(topics.processorSettings()));
        }
        // as a processor with the default settings left it, without starting one
        OutputSettingsRecord recorded = new OutputSettingsRecord(bootstrap, topics.processorSettings(),
                before.applicationId(), TIMEOUT);
        recorded.write(before.outputSettings().description());

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ProcessorApp.start(fewerEvents, TIMEOUT).close());
        assertTrue(refused.getMessage().contains("USER_LOG_MAX_EVENTS was 10000, is now 500"), refused.getMessage());

        try (ProcessorApp app = ProcessorApp.start(migrating, TIMEOUT)) {
            assertEquals(Optional.of(fewerEvents.outputSettings().description()), recorded.read());
        }
    }
}
