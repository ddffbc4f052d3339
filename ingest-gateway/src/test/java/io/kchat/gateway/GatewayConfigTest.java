package io.kchat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kchat.gateway.ws.WsConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The durable-delivery settings: their defaults, and how the environment overrides them. */
class GatewayConfigTest {

    private static final Map<String, String> MINIMAL = Map.of("DATABASE_URL", "jdbc:postgresql://db/kchat",
            "CHAT_NODE_ID", "gw-1");

    @Test
    void defaults() {
        GatewayConfig config = GatewayConfig.fromEnv(MINIMAL);
        assertEquals(Duration.ofSeconds(5), config.nodeHeartbeat());
        assertEquals(Duration.ofMillis(200), config.ws().ackCoalesce());
        assertEquals(Duration.ofSeconds(1), config.ws().typingInterval());
        assertEquals(Duration.ofSeconds(5), config.ws().membershipCacheTtl());
        assertEquals(WsConfig.defaults("gw-1"), config.ws());
    }

    @Test
    void theEnvironmentOverridesThem() {
        GatewayConfig config = GatewayConfig.fromEnv(Map.of("DATABASE_URL", "jdbc:postgresql://db/kchat",
                "CHAT_NODE_ID", "gw-1", "NODE_HEARTBEAT_MS", "750", "WS_ACK_COALESCE_MS", "0",
                "WS_TYPING_INTERVAL_MS", "2500", "WS_MEMBERSHIP_CACHE_MS", "0"));
        assertEquals(Duration.ofMillis(750), config.nodeHeartbeat());
        assertEquals(Duration.ZERO, config.ws().ackCoalesce(), "0 turns ack coalescing off");
        assertEquals(Duration.ofMillis(2500), config.ws().typingInterval());
        assertEquals(Duration.ZERO, config.ws().membershipCacheTtl());
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(Map.of(
                "DATABASE_URL", "jdbc:postgresql://db/kchat", "NODE_HEARTBEAT_MS", "0")));
        assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromEnv(Map.of(
                "DATABASE_URL", "jdbc:postgresql://db/kchat", "WS_ACK_COALESCE_MS", "-1")));
    }
}
