package io.kchat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.limits.RateLimit;
import io.kchat.gateway.ws.ConnectionLimits;
import io.kchat.gateway.ws.WsConfig;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.settings.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's settings: their defaults, and how the environment overrides them. */
class GatewayConfigTest {

    private static final Map<String, String> MINIMAL = Map.of("DATABASE_URL", "jdbc:postgresql://db/kchat",
            "CHAT_NODE_ID", "gw-1");

    @Test
    void theMessageTopicsRetentionIsASettingWhoseDefaultIsTheCataloguesAndReachesTheTopicsCreated() {
        assertEquals(TopicCatalogue.DEFAULT_MESSAGE_RETENTION, GatewayConfig.fromEnv(Map.of(
                "DATABASE_URL", "jdbc:postgresql://db/kchat")).messageRetention());
        GatewayConfig config = GatewayConfig.fromEnv(Map.of("DATABASE_URL", "jdbc:postgresql://db/kchat",
                "MESSAGE_RETENTION", "3d"));
        TopicCatalogue topics = new TopicCatalogue("p.", config.messageRetention());

        assertEquals(Duration.ofDays(3), config.messageRetention());
        for (var topic : List.of(topics.inbound(), topics.messages(), topics.messageUpdates(), topics.messageMeta(),
                topics.receipts(), topics.userInbound())) {
            assertEquals(Duration.ofDays(3), topic.retention(), topic.name());
        }
        assertEquals(Duration.ofMinutes(1), topics.typing().retention(), "ephemeral topics keep their own");
    }

    @Test
    void defaults() {
        GatewayConfig config = GatewayConfig.fromEnv(MINIMAL);
        assertEquals(Duration.ofSeconds(5), config.nodeHeartbeat());
        assertEquals(Duration.ofMillis(200), config.ws().ackCoalesce());
        assertEquals(Duration.ofSeconds(1), config.ws().typingInterval());
        assertEquals(Duration.ofSeconds(5), config.ws().membershipCacheTtl());
        assertEquals(WsConfig.defaults("gw-1"), config.ws());
        assertEquals(Duration.ofSeconds(10), config.shutdownDrain());
        assertEquals(Duration.ofMillis(1), config.linger());
    }

    @Test
    void theEnvironmentOverridesThem() {
        GatewayConfig config = GatewayConfig.fromEnv(Map.of("DATABASE_URL", "jdbc:postgresql://db/kchat",
                "CHAT_NODE_ID", "gw-1", "NODE_HEARTBEAT", "750ms", "WS_ACK_COALESCE", "0ms",
                "WS_TYPING_INTERVAL", "2500ms", "WS_MEMBERSHIP_CACHE", "0ms", "SHUTDOWN_DRAIN", "3s",
                "KAFKA_LINGER", "0ms"));
        assertEquals(Duration.ZERO, config.linger(), "0 sends every record at once");
        assertEquals(Duration.ofMillis(750), config.nodeHeartbeat());
        assertEquals(Duration.ofSeconds(3), config.shutdownDrain());
        assertEquals(Duration.ZERO, config.ws().ackCoalesce(), "0 turns ack coalescing off");
        assertEquals(Duration.ofMillis(2500), config.ws().typingInterval());
        assertEquals(Duration.ZERO, config.ws().membershipCacheTtl());
    }

    @Test
    void aDrainMustHaveTime() {
        Map<String, String> env = new HashMap<>(MINIMAL);
        env.put("SHUTDOWN_DRAIN", "0ms");
        assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(env));
    }

    @Test
    void hostileInputLimitsHaveGenerousDefaultsAndComeFromTheEnvironment() {
        GatewayConfig defaults = GatewayConfig.fromEnv(MINIMAL);
        assertEquals(ConnectionLimits.defaults(), defaults.ws().limits());
        assertEquals(Duration.ofSeconds(120), defaults.ws().limits().idleTimeout());
        assertEquals(10, defaults.ws().limits().maxConnectionsPerUser());
        assertEquals(new RateLimit(20, 120), defaults.ws().limits().perConnection());
        assertEquals(new RateLimit(50, 150), defaults.ws().limits().perUser());
        assertEquals(new RateLimit(1, 40), defaults.ws().limits().refusals());
        assertEquals(new RateLimit(1, 60), defaults.authRatePerIp());
        assertEquals(64 * 1024, defaults.ws().maxFrameBytes());
        assertEquals(Optional.empty(), defaults.tls());

        Map<String, String> env = new HashMap<>(MINIMAL);
        env.putAll(Map.of("WS_IDLE_TIMEOUT", "5s", "WS_MAX_CONNECTIONS_PER_USER", "3",
                "WS_RATE_PER_CONNECTION", "1000", "WS_RATE_PER_CONNECTION_BURST", "2000", "WS_RATE_PER_USER", "0.5",
                "WS_RATE_REFUSALS_BURST", "7", "AUTH_RATE_PER_IP", "100", "AUTH_RATE_MAX_TRACKED_IPS", "10",
                "WS_ALLOWED_ORIGINS", "https://a.example, HTTPS://B.example:443"));
        GatewayConfig config = GatewayConfig.fromEnv(env);
        ConnectionLimits limits = config.ws().limits();
        assertEquals(Duration.ofSeconds(5), limits.idleTimeout());
        assertEquals(3, limits.maxConnectionsPerUser());
        assertEquals(new RateLimit(1000, 2000), limits.perConnection());
        assertEquals(new RateLimit(0.5, 150), limits.perUser());
        assertEquals(new RateLimit(1, 7), limits.refusals());
        assertEquals(new RateLimit(100, 60), config.authRatePerIp());
        assertEquals(10, config.authMaxTrackedIps());
        assertEquals(Set.of("https://a.example", "https://b.example"), config.ws().allowedOrigins());
    }

    @Test
    void tlsTakesACertificateAndAKeyTogether(@TempDir Path dir) throws Exception {
        Path certificate = Files.writeString(dir.resolve("tls.crt"), "pem");
        Path key = Files.writeString(dir.resolve("tls.key"), "pem");
        Map<String, String> env = new HashMap<>(MINIMAL);
        env.put("TLS_CERT_FILE", certificate.toString());
        env.put("TLS_KEY_FILE", key.toString());
        assertEquals(Optional.of(new GatewayConfig.TlsFiles(certificate, key)), GatewayConfig.fromEnv(env).tls());

        env.remove("TLS_KEY_FILE");
        assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(env), "half a TLS setup");
        env.put("TLS_KEY_FILE", dir.resolve("missing.key").toString());
        assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(env), "an unreadable key");
    }

    @Test
    void allowedOriginsAreExactOriginsAddedToTheOwnOneNeverAny() {
        assertEquals(Set.of(), GatewayConfig.fromEnv(MINIMAL).ws().allowedOrigins(), "unset: only the own origin");
        Map<String, String> env = new HashMap<>(MINIMAL);
        env.put("WS_ALLOWED_ORIGINS", " , ");
        assertEquals(Set.of(), GatewayConfig.fromEnv(env).ws().allowedOrigins());

        env.put("WS_ALLOWED_ORIGINS", "https://chat.example, *");
        IllegalArgumentException star = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(env));
        assertTrue(star.getMessage().startsWith("WS_ALLOWED_ORIGINS takes exact origins, not '*'"), star.getMessage());
        env.put("WS_ALLOWED_ORIGINS", "https://chat.example/");
        IllegalArgumentException path = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(env));
        assertTrue(path.getMessage().contains("'https://chat.example/'"), path.getMessage());
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(Map.of(
                "DATABASE_URL", "jdbc:postgresql://db/kchat", "NODE_HEARTBEAT", "0ms")));
        assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(Map.of(
                "DATABASE_URL", "jdbc:postgresql://db/kchat", "WS_ACK_COALESCE", "-1")));
        assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(Map.of(
                "DATABASE_URL", "jdbc:postgresql://db/kchat", "WS_RATE_PER_USER", "0")));
        assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(Map.of(
                "DATABASE_URL", "jdbc:postgresql://db/kchat", "WS_MAX_CONNECTIONS_PER_USER", "0")));
        assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(Map.of(
                "DATABASE_URL", "jdbc:postgresql://db/kchat", "WS_IDLE_TIMEOUT", "0ms")));
        assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(Map.of(
                "DATABASE_URL", "jdbc:postgresql://db/kchat", "KAFKA_LINGER", "-1")));
    }

    @Test
    void oneRuleForEveryValueBlankIsUnsetAndAnUnreadableValueIsNamed() {
        Map<String, String> env = new HashMap<>(MINIMAL);
        env.put("CHAT_PORT", " ");
        env.put("MAX_GROUP_SIZE", " 7 ");
        GatewayConfig config = GatewayConfig.fromEnv(env);
        assertEquals(8080, config.port(), "blank is unset, whichever variable");
        assertEquals(7, config.conversations().maxGroupSize(), "trimmed");

        env.put("AUTH_RATE_MAX_TRACKED_IPS", "many");
        IllegalArgumentException unreadable = assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.fromEnv(env));
        assertEquals("AUTH_RATE_MAX_TRACKED_IPS='many': not a whole number", unreadable.getMessage());
    }

    @Test
    void theFormerSpellingsAreStillReadForOneRelease() {
        Map<String, String> env = new HashMap<>(MINIMAL);
        env.putAll(Map.of("NODE_HEARTBEAT_MS", "750", "JWT_ACCESS_TTL_SECONDS", "90", "WS_MAX_BODY_CHARS", "100",
                "WS_IDLE_TIMEOUT_MS", "5000"));
        GatewayConfig config = GatewayConfig.fromEnv(env);
        assertEquals(Duration.ofMillis(750), config.nodeHeartbeat());
        assertEquals(Duration.ofSeconds(90), config.auth().accessTtl());
        assertEquals(Duration.ofSeconds(5), config.ws().limits().idleTimeout());
        assertEquals(100, config.ws().maxBodyChars(), "the WebSocket's send");
        assertEquals(100, config.conversations().maxMessageChars(), "and the HTTP send: one limit");
    }

    @Test
    void oneMessageLimitBoundsBothSendPaths() {
        Map<String, String> env = new HashMap<>(MINIMAL);
        env.put("MAX_MESSAGE_CHARS", "2000");
        GatewayConfig config = GatewayConfig.fromEnv(env);
        assertEquals(2000, config.ws().maxBodyChars());
        assertEquals(2000, config.conversations().maxMessageChars());
    }

    @Test
    void everySettingIsDeclaredOnce() {
        List<String> names = GatewayConfig.settings().stream().map(Setting::name).toList();
        assertEquals(names.size(), Set.copyOf(names).size(), "declared twice: " + names);
        assertTrue(names.containsAll(List.of("CHAT_PORT", "DATABASE_URL", "OTP_SENDER", "WS_RATE_PER_USER_BURST",
                "MAX_MESSAGE_CHARS", "LOG_FORMAT", "KAFKA_LINGER")), names.toString());
    }
}
