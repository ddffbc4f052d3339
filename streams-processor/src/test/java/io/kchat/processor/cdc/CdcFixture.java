package io.kchat.processor.cdc;

import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationEventKind;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.ConversationType;
import io.kchat.events.InboundCommand;
import io.kchat.events.Member;
import io.kchat.events.MemberRole;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.processor.ProcessorConfig;
import io.kchat.schemas.AvroSerde;
import io.kchat.schemas.OutboxEvents;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.flywaydb.core.Flyway;

/** A fresh migrated database, unique topics on the shared broker, and the processor config for both. */
final class CdcFixture {

    final String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
    final String jdbcUrl;
    final TopicCatalogue topics;
    final ProcessorConfig config;

    CdcFixture(String name, Map<String, String> env) {
        String prefix = SharedInfrastructure.uniquePrefix(name);
        var postgres = SharedInfrastructure.postgres();
        jdbcUrl = SharedInfrastructure.freshDatabase(name);
        Flyway.configure().dataSource(jdbcUrl, postgres.user(), postgres.password()).load().migrate();
        Map<String, String> settings = new HashMap<>(env);
        settings.putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "CHAT_TOPIC_PREFIX", prefix,
                "DATABASE_URL", jdbcUrl, "DATABASE_USER", postgres.user(), "DATABASE_PASSWORD", postgres.password()));
        config = ProcessorConfig.fromEnv(settings);
        topics = new TopicCatalogue(prefix);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicProvisioner(admin, (short) 1).ensure(topics.shared());
        }
    }

    /** Starts a relay as the processor does, on this fixture's configuration. */
    CdcRelay startRelay() {
        return CdcRelay.start(config.cdc(), new CdcRelay.Cluster(config.bootstrapServers(), config.applicationId(),
                config.topicPrefix(), config.replicationFactor()), topics, Clock.systemUTC());
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, config.cdc().user(), config.cdc().password());
    }

    static byte[] createdCommand(String conversationId) {
        return AvroSerde.of(InboundCommand.class).encode(new InboundCommand("cmd-" + conversationId,
                Instant.parse("2026-01-01T00:00:00Z"), new ConversationChanged(ConversationEventKind.CREATED, "u1", null,
                new ConversationSnapshot(conversationId, ConversationType.DIRECT, null,
                        List.of(new Member("u1", MemberRole.MEMBER), new Member("u2", MemberRole.MEMBER)), 1L, false, false, null))));
    }

    /** Inserts an outbox row of an InboundCommand for {@code conversationId} written at {@code createdAt}; returns its id. */
    static long insertOutbox(Connection db, String conversationId, byte[] payload, Instant createdAt) throws SQLException {
        return insertOutbox(db, OutboxEvents.INBOUND_COMMAND, conversationId, payload, createdAt);
    }

    /** Inserts an outbox row of {@code eventType} keyed by {@code aggregateId}; returns its id. */
    static long insertOutbox(Connection db, String eventType, String aggregateId, byte[] payload, Instant createdAt)
            throws SQLException {
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT INTO outbox (aggregate_id, event_type, payload, created_at) VALUES (?, ?, ?, ?) RETURNING id")) {
            insert.setString(1, aggregateId);
            insert.setString(2, eventType);
            insert.setBytes(3, payload);
            insert.setTimestamp(4, Timestamp.from(createdAt));
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                return id.getLong(1);
            }
        }
    }
}
