package io.kchat.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kchat.gateway.db.Database;
import io.kchat.gateway.db.Timestamps;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.TestUsers;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.infra.EmbeddedPostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A whole gateway node as Main starts it, on the shared broker and a fresh database: it beats in {@code nodes},
 * lists a connected socket in {@code sessions}, and a graceful stop tells the client to go elsewhere and
 * removes both, so that its users stop counting as online at once.
 */
class GatewayIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aNodeBeatsListsItsSessionsAndRemovesThemWhenItStops() throws Exception {
        EmbeddedPostgresServer postgres = SharedInfrastructure.postgres();
        String databaseUrl = SharedInfrastructure.freshDatabase("GatewayIT");
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", SharedInfrastructure.kafka().bootstrapServers(),
                "CHAT_TOPIC_PREFIX", SharedInfrastructure.uniquePrefix("GatewayIT"),
                "DATABASE_URL", databaseUrl,
                "DATABASE_USER", postgres.user(),
                "DATABASE_PASSWORD", postgres.password(),
                "CHAT_PORT", "0",
                "CHAT_BIND_ADDRESS", "127.0.0.1",
                "CHAT_NODE_ID", "gw-it",
                "NODE_HEARTBEAT", "200ms");
        Gateway gateway = Gateway.start(GatewayConfig.fromEnv(env), Clock.systemUTC());
        try (Database database = Database.start(databaseUrl, postgres.user(), postgres.password(), 2)) {
            assertEquals(List.of("gw-it " + gateway.incarnation()), rows(database, "SELECT node_id, incarnation FROM nodes"));
            Instant beat = heartbeat(database);
            await().atMost(WAIT).until(() -> heartbeat(database).isAfter(beat));

            TestUsers.Login login = TestUsers.registerAndLogin(new ApiClient(gateway.port()), "gatewayit");
            CompletableFuture<Integer> closeCode = new CompletableFuture<>();
            HttpClient.newHttpClient().newWebSocketBuilder()
                    .header("Authorization", "Bearer " + login.accessToken())
                    .buildAsync(URI.create("ws://127.0.0.1:" + gateway.port() + "/v1/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
                            closeCode.complete(statusCode);
                            return null;
                        }
                    })
                    .join();
            String expected = login.userId() + " " + login.deviceId() + " gw-it " + gateway.incarnation();
            await().atMost(WAIT).until(() -> rows(database,
                    "SELECT user_id, device_id, node_id, incarnation FROM sessions").equals(List.of(expected)));

            gateway.close();
            assertEquals(1001, closeCode.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), "reconnect elsewhere");
            assertEquals(List.of(), rows(database, "SELECT node_id FROM nodes"));
            assertEquals(List.of(), rows(database, "SELECT session_id FROM sessions"));
        } finally {
            gateway.close(); // idempotent: stops the node when an assertion failed first
        }
    }

    private static Instant heartbeat(Database database) {
        return database.withConnection(c -> {
            try (ResultSet rows = c.createStatement().executeQuery("SELECT heartbeat_at FROM nodes")) {
                rows.next();
                return Timestamps.get(rows, "heartbeat_at");
            }
        });
    }

    /** Each row's columns joined by spaces. */
    private static List<String> rows(Database database, String sql) {
        return database.withConnection(c -> {
            List<String> rows = new ArrayList<>();
            try (PreparedStatement statement = c.prepareStatement(sql); ResultSet result = statement.executeQuery()) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    List<String> values = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        values.add(result.getString(i));
                    }
                    rows.add(String.join(" ", values));
                }
            }
            return rows;
        });
    }
}
