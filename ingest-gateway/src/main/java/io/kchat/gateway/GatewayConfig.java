package io.kchat.gateway;

import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.conversations.ConversationConfig;
import io.kchat.gateway.ws.WsConfig;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Settings of one gateway node: KAFKA_BOOTSTRAP_SERVERS, KAFKA_REPLICATION_FACTOR, CHAT_TOPIC_PREFIX,
 * DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, CHAT_PORT (8080), CHAT_BIND_ADDRESS (0.0.0.0),
 * CHAT_NODE_ID (gw-random), NODE_HEARTBEAT_MS (5000: how often the node's row in {@code nodes} is beaten on
 * the database clock; the delivery-service's expiry must be a few beats longer), JWT_ISSUER, plus the
 * WebSocket settings of {@link WsConfig#fromEnv}, whose defaults live there: among them WS_ACK_COALESCE_MS
 * (200; 0 produces every ack), WS_TYPING_INTERVAL_MS (1000: typing notices forwarded per session and
 * conversation) and WS_MEMBERSHIP_CACHE_MS (5000: membership answers reused for typing).
 */
public record GatewayConfig(
        String bootstrapServers,
        short replicationFactor,
        String topicPrefix,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        String bindAddress,
        int port,
        String nodeId,
        Duration nodeHeartbeat,
        AuthConfig auth,
        ConversationConfig conversations,
        WsConfig ws) {

    public static final Duration DEFAULT_NODE_HEARTBEAT = Duration.ofSeconds(5);

    public GatewayConfig {
        if (nodeHeartbeat == null || nodeHeartbeat.isNegative() || nodeHeartbeat.isZero()) {
            throw new IllegalArgumentException("NODE_HEARTBEAT_MS must be positive");
        }
    }

    public static GatewayConfig fromEnv(Map<String, String> env) {
        String nodeId = env.getOrDefault("CHAT_NODE_ID", "gw-" + UUID.randomUUID().toString().substring(0, 8));
        if (!nodeId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("CHAT_NODE_ID must be 1-64 of [A-Za-z0-9._-]: it names a topic");
        }
        String databaseUrl = env.get("DATABASE_URL");
        if (databaseUrl == null) {
            throw new IllegalArgumentException("DATABASE_URL is required (a JDBC URL, e.g. jdbc:postgresql://host:5432/kchat)");
        }
        return new GatewayConfig(
                env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                Short.parseShort(env.getOrDefault("KAFKA_REPLICATION_FACTOR", "1")),
                env.getOrDefault("CHAT_TOPIC_PREFIX", ""),
                databaseUrl,
                env.getOrDefault("DATABASE_USER", "postgres"),
                env.getOrDefault("DATABASE_PASSWORD", ""),
                env.getOrDefault("CHAT_BIND_ADDRESS", "0.0.0.0"),
                Integer.parseInt(env.getOrDefault("CHAT_PORT", "8080")),
                nodeId,
                env.containsKey("NODE_HEARTBEAT_MS")
                        ? Duration.ofMillis(Long.parseLong(env.get("NODE_HEARTBEAT_MS").trim()))
                        : DEFAULT_NODE_HEARTBEAT,
                AuthConfig.fromEnv(env),
                ConversationConfig.fromEnv(env),
                WsConfig.fromEnv(env, nodeId));
    }

    public GatewayConfig withPort(int value) {
        return new GatewayConfig(bootstrapServers, replicationFactor, topicPrefix, databaseUrl, databaseUser,
                databasePassword, bindAddress, value, nodeId, nodeHeartbeat, auth, conversations, ws);
    }
}
