package io.kchat.local;

import io.kchat.infra.EmbeddedS3;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.processor.ProcessorConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * All three services wired by {@link LocalServices}, as ./chat-local does, on the shared test broker, a
 * fresh database and a fresh bucket of the shared S3 server. {@link #restart()} stops and starts the services on the same topics, database and state
 * directory: a restart of the whole stack with its data kept.
 */
final class LocalStack implements AutoCloseable {

    private final Map<String, String> env;
    private LocalServices services;

    LocalStack(String name, Path stateDir) throws Exception {
        this(name, stateDir, Map.of());
    }

    /** {@code overrides} replace or add environment variables (e.g. a small USER_LOG_MAX_EVENTS). */
    LocalStack(String name, Path stateDir, Map<String, String> overrides) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", SharedInfrastructure.kafka().bootstrapServers(),
                "CHAT_TOPIC_PREFIX", SharedInfrastructure.uniquePrefix(name),
                "DATABASE_URL", SharedInfrastructure.freshDatabase(name),
                "DATABASE_USER", SharedInfrastructure.postgres().user(),
                "DATABASE_PASSWORD", SharedInfrastructure.postgres().password(),
                "CHAT_STATE_DIR", stateDir.toString(),
                "CHAT_PORT", "0",
                "CHAT_BIND_ADDRESS", "127.0.0.1",
                "CHAT_NODE_ID", name + "-node"));
        // media as ./chat-local has them: the shared S3 server, a bucket of this stack's own
        EmbeddedS3 s3 = SharedInfrastructure.s3();
        settings.putAll(Map.of(
                "S3_ENDPOINT", s3.endpoint().toString(),
                "S3_BUCKET", SharedInfrastructure.freshBucket(name),
                "S3_ACCESS_KEY", s3.accessKey(),
                "S3_SECRET_KEY", s3.secretKey()));
        settings.putAll(overrides);
        this.env = Map.copyOf(settings);
        this.services = LocalServices.start(env);
    }

    int port() {
        return services.port();
    }

    /** Where a client outside the stack (a consumer of its topics) finds them. */
    String bootstrapServers() {
        return env.get("KAFKA_BOOTSTRAP_SERVERS");
    }

    String topicPrefix() {
        return env.get("CHAT_TOPIC_PREFIX");
    }

    /** The Kafka Streams application id: the prefix of the processor's changelog and repartition topics. */
    String processorApplicationId() {
        return ProcessorConfig.fromEnv(env).applicationId();
    }

    /** The bucket of this stack's media, on {@code SharedInfrastructure.s3()}. */
    String s3Bucket() {
        return env.get("S3_BUCKET");
    }

    String databaseUrl() {
        return env.get("DATABASE_URL");
    }

    String databaseUser() {
        return env.get("DATABASE_USER");
    }

    String databasePassword() {
        return env.get("DATABASE_PASSWORD");
    }

    /** The data directory of the PostgreSQL server the database lives on (shared by every stack of the JVM). */
    Path postgresDataDir() {
        return SharedInfrastructure.postgres().dataDir();
    }

    /** Where the services keep local state (the processor's state stores). */
    Path stateDir() {
        return Path.of(env.get("CHAT_STATE_DIR"));
    }

    void restart() throws Exception {
        services.close();
        services = LocalServices.start(env);
    }

    @Override
    public void close() throws Exception {
        services.close();
    }
}
