package io.kchat.local;

import io.kchat.infra.EmbeddedKafka;
import io.kchat.infra.EmbeddedPostgresServer;
import io.kchat.infra.EmbeddedS3;
import java.util.Map;

/** The embedded Kafka broker (KRaft), PostgreSQL and S3 store of a local run, data under CHAT_DATA_DIR. */
record LocalInfrastructure(EmbeddedKafka kafka, EmbeddedPostgresServer postgres, EmbeddedS3 s3)
        implements AutoCloseable {

    /** The gateway's default S3_BUCKET, created at the first start. */
    static final String MEDIA_BUCKET = "kchat-media";

    static LocalInfrastructure start(LocalConfig config) {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(config.dataDir().resolve("postgres"), config.postgresPort());
        EmbeddedKafka kafka = null;
        try {
            kafka = EmbeddedKafka.start(config.dataDir().resolve("kafka"), config.kafkaPort());
            EmbeddedS3 s3 = EmbeddedS3.start(config.dataDir().resolve("s3"), config.s3Port(), MEDIA_BUCKET);
            // The launcher stops services first, then these, from its one shutdown hook.
            kafka.ownShutdown();
            postgres.ownShutdown();
            s3.ownShutdown();
            return new LocalInfrastructure(kafka, postgres, s3);
        } catch (RuntimeException e) {
            if (kafka != null) {
                kafka.close();
            }
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
                "DATABASE_PASSWORD", postgres.password(),
                "S3_ENDPOINT", s3.endpoint().toString(),
                "S3_BUCKET", s3.bucket(),
                "S3_ACCESS_KEY", s3.accessKey(),
                "S3_SECRET_KEY", s3.secretKey());
    }

    @Override
    public void close() {
        try {
            kafka.close();
        } finally {
            try {
                postgres.close();
            } finally {
                s3.close();
            }
        }
    }
}
