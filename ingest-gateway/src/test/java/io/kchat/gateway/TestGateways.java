package io.kchat.gateway;

import io.kchat.infra.EmbeddedPostgresServer;
import io.kchat.infra.EmbeddedS3;
import io.kchat.infra.SharedInfrastructure;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A whole gateway node as Main starts it, on the shared test broker, a fresh database, topics and a media bucket of
 * its own.
 */
public final class TestGateways {

    private TestGateways() {
    }

    /** On an ephemeral loopback port; {@code name} names its database, its topics and its node. */
    public static Gateway start(String name) {
        return start(name, Map.of());
    }

    /** {@code overrides} replace or add environment variables. */
    public static Gateway start(String name, Map<String, String> overrides) {
        EmbeddedPostgresServer postgres = SharedInfrastructure.postgres();
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", SharedInfrastructure.kafka().bootstrapServers(),
                "CHAT_TOPIC_PREFIX", SharedInfrastructure.uniquePrefix(name),
                "DATABASE_URL", SharedInfrastructure.freshDatabase(name),
                "DATABASE_USER", postgres.user(),
                "DATABASE_PASSWORD", postgres.password(),
                "CHAT_PORT", "0",
                "CHAT_BIND_ADDRESS", "127.0.0.1",
                "CHAT_NODE_ID", "gw-" + name));
        EmbeddedS3 s3 = SharedInfrastructure.s3();
        env.putAll(Map.of("S3_ENDPOINT", s3.endpoint().toString(), "S3_BUCKET", SharedInfrastructure.freshBucket(name),
                "S3_ACCESS_KEY", s3.accessKey(), "S3_SECRET_KEY", s3.secretKey()));
        env.putAll(overrides);
        return Gateway.start(GatewayConfig.fromEnv(env), Clock.systemUTC());
    }
}
