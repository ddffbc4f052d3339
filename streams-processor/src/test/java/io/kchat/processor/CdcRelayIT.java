package io.kchat.processor;

import static io.kchat.processor.KafkaTestClients.drain;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationEventKind;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.ConversationType;
import io.kchat.events.InboundCommand;
import io.kchat.events.Member;
import io.kchat.events.MemberRole;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.AvroSerde;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** The Debezium engine relays outbox rows byte for byte to chat.inbound, and user rows to chat.cdc.users. */
class CdcRelayIT {

    @Test
    void outboxRowsAndUserRowsReachKafka() throws Exception {
        String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        String prefix = SharedInfrastructure.uniquePrefix("cdc");
        String jdbcUrl = SharedInfrastructure.freshDatabase("cdc");
        var postgres = SharedInfrastructure.postgres();
        Flyway.configure().dataSource(jdbcUrl, postgres.user(), postgres.password()).load().migrate();
        ProcessorConfig config = ProcessorConfig.fromEnv(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap, "CHAT_TOPIC_PREFIX", prefix,
                "DATABASE_URL", jdbcUrl, "DATABASE_USER", postgres.user(), "DATABASE_PASSWORD", postgres.password()));
        TopicCatalogue topics = new TopicCatalogue(prefix);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicProvisioner(admin, (short) 1).ensure(topics.shared());
        }
        byte[] payload = AvroSerde.of(InboundCommand.class).encode(new InboundCommand("cmd-1", Instant.parse("2026-01-01T00:00:00Z"),
                new ConversationChanged(ConversationEventKind.CREATED, "u1", null, new ConversationSnapshot("conv-1",
                        ConversationType.DIRECT, null, List.of(new Member("u1", MemberRole.MEMBER), new Member("u2", MemberRole.MEMBER)), 1L))));

        try (CdcRelay relay = CdcRelay.start(config, topics);
             Connection db = DriverManager.getConnection(jdbcUrl, postgres.user(), postgres.password());
             KafkaConsumer<String, InboundCommand> inbound = KafkaTestClients.consumer(bootstrap, topics.inbound(), "read_committed");
             KafkaConsumer<String, String> users = KafkaTestClients.consumer(bootstrap, topics.cdcUsers(), "read_committed")) {
            try (PreparedStatement insert = db.prepareStatement(
                    "INSERT INTO outbox (aggregate_id, event_type, payload, created_at) VALUES (?, 'InboundCommand', ?, ?)")) {
                insert.setString(1, "conv-1");
                insert.setBytes(2, payload);
                insert.setTimestamp(3, Timestamp.from(Instant.now()));
                insert.executeUpdate();
            }
            try (PreparedStatement insert = db.prepareStatement(
                    "INSERT INTO users (user_id, username, display_name, created_at) VALUES ('u1', 'ursula', 'Ursula', now())")) {
                insert.executeUpdate();
            }

            List<ConsumerRecord<String, InboundCommand>> relayed = new ArrayList<>();
            await().atMost(Duration.ofSeconds(90)).until(() -> !drain(inbound, relayed).isEmpty());
            assertEquals("conv-1", relayed.getFirst().key());
            assertArrayEquals(payload, AvroSerde.of(InboundCommand.class).encode(relayed.getFirst().value()));

            List<ConsumerRecord<String, String>> userRows = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> !drain(users, userRows).isEmpty());
            assertEquals("u1", userRows.getFirst().key());
            assertTrue(userRows.getFirst().value().contains("\"username\":\"ursula\""), userRows.getFirst().value());
        }
    }
}
