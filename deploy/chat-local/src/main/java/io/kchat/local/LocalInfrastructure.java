package io.kchat.local;

import io.kchat.infra.EmbeddedKafka;
import io.kchat.infra.EmbeddedPostgresServer;
import java.util.Map;

/** The embedded Kafka broker (KRaft) and PostgreSQL of a local run, data under CHAT_DATA_DIR. */
record LocalInfrastructure(EmbeddedKafka kafka, EmbeddedPostgresServer postgres) implements AutoCloseable {

    static LocalInfrastructure start(LocalConfig config) {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(config.dataDir().resolve("postgres"), config.postgresPort());
        try {
            EmbeddedKafka kafka = EmbeddedKafka.start(config.dataDir().resolve("kafka"), config.kafkaPort());
            // The launcher stops services first, then these, from its one shutdown hook.
            kafka.ownShutdown();
            postgres.ownShutdown();
            return new LocalInfrastructure(kafka, postgres);
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    /** The environment a separately started service needs to join this infrastructure. */
    Map<String, String> serviceEnvironment() {
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "DATABASE_URL", postgres.jdbcUrl(),
                "DATABASE_USER", postgres.user(),
                "DATABASE_PASSWORD", postgres.password());
    }

    @Override
    public void close() {
        try {
            kafka.close();
        } finally {
            postgres.close();
        }
    }
}
