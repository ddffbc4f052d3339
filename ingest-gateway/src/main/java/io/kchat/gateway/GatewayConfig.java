package io.kchat.gateway;

import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.conversations.ConversationConfig;
import io.kchat.gateway.ws.WsConfig;
import java.util.Map;
import java.util.UUID;

/**
 * Settings of one gateway node: KAFKA_BOOTSTRAP_SERVERS, KAFKA_REPLICATION_FACTOR, CHAT_TOPIC_PREFIX,
 * DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, CHAT_PORT (8080), CHAT_BIND_ADDRESS (0.0.0.0),
 * CHAT_NODE_ID (gw-random), JWT_ISSUER, plus the WebSocket settings of {@link WsConfig#fromEnv}.
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
        AuthConfig auth,
        ConversationConfig conversations,
        WsConfig ws) {

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
                AuthConfig.fromEnv(env),
                ConversationConfig.fromEnv(env),
                WsConfig.fromEnv(env, nodeId));
    }

    public GatewayConfig withPort(int value) {
        return new GatewayConfig(bootstrapServers, replicationFactor, topicPrefix, databaseUrl, databaseUser,
                databasePassword, bindAddress, value, nodeId, auth, conversations, ws);
    }
}
