package io.kchat.local;

import io.kchat.delivery.DeliveryConfig;
import io.kchat.gateway.Gateway;
import io.kchat.gateway.GatewayConfig;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.processor.ProcessorApp;
import io.kchat.processor.ProcessorConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/** All three services in this JVM on the shared test broker and a fresh database, as chat-local wires them. */
final class LocalStack implements AutoCloseable {

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    final Gateway gateway;

    LocalStack(String name, Path stateDir) throws Exception {
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", SharedInfrastructure.kafka().bootstrapServers(),
                "CHAT_TOPIC_PREFIX", SharedInfrastructure.uniquePrefix(name),
                "DATABASE_URL", SharedInfrastructure.freshDatabase(name),
                "DATABASE_USER", SharedInfrastructure.postgres().user(),
                "DATABASE_PASSWORD", SharedInfrastructure.postgres().password(),
                "CHAT_STATE_DIR", stateDir.toString(),
                "CHAT_PORT", "0",
                "CHAT_BIND_ADDRESS", "127.0.0.1",
                "CHAT_NODE_ID", name + "-node");
        try {
            running.push(ProcessorApp.start(ProcessorConfig.fromEnv(env), Duration.ofMinutes(2)));
            running.push(io.kchat.delivery.Main.start(DeliveryConfig.fromEnv(env)));
            gateway = Gateway.start(GatewayConfig.fromEnv(env), Clock.systemUTC());
            running.push(gateway);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    int port() {
        return gateway.port();
    }

    @Override
    public void close() throws Exception {
        while (!running.isEmpty()) {
            running.pop().close();
        }
    }
}
