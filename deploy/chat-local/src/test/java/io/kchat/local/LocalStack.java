package io.kchat.local;

import io.kchat.infra.SharedInfrastructure;
import java.nio.file.Path;
import java.util.Map;

/** All three services wired by {@link LocalServices}, as ./chat-local does, on the shared test broker and a fresh database. */
final class LocalStack implements AutoCloseable {

    private final LocalServices services;

    LocalStack(String name, Path stateDir) throws Exception {
        services = LocalServices.start(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", SharedInfrastructure.kafka().bootstrapServers(),
                "CHAT_TOPIC_PREFIX", SharedInfrastructure.uniquePrefix(name),
                "DATABASE_URL", SharedInfrastructure.freshDatabase(name),
                "DATABASE_USER", SharedInfrastructure.postgres().user(),
                "DATABASE_PASSWORD", SharedInfrastructure.postgres().password(),
                "CHAT_STATE_DIR", stateDir.toString(),
                "CHAT_PORT", "0",
                "CHAT_BIND_ADDRESS", "127.0.0.1",
                "CHAT_NODE_ID", name + "-node"));
    }

    int port() {
        return services.port();
    }

    @Override
    public void close() throws Exception {
        services.close();
    }
}
