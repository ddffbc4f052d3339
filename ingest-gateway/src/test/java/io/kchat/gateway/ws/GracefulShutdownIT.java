package io.kchat.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.events.InboundCommand;
import io.kchat.events.SendMessage;
import io.kchat.events.SessionClosed;
import io.kchat.events.SessionOpened;
import io.kchat.events.UserCommand;
import io.kchat.gateway.Gateway;
import io.kchat.gateway.GatewayConfig;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TopicRecords;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM on a whole gateway node ({@link Gateway#close()}, what Main's shutdown hook runs) while a client is
 * sending, on the shared broker and a fresh database: the client is told to reconnect elsewhere (1001, not a cut
 * connection), every send it got an {@code ok} for is in chat.inbound, and its session is closed on the user
 * side (SessionClosed), so that its presence is right.
 */
class GracefulShutdownIT {

    private static final int SENDS = 40;
    private static final String CONVERSATION = "c-drain";

    @Test
    void aClientIsToldToGoElsewhereAndEverySendOkdBeforeIsInTheLog() throws Exception {
        var postgres = SharedInfrastructure.postgres();
        String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        String prefix = SharedInfrastructure.uniquePrefix("GracefulShutdownIT");
        Gateway gateway = Gateway.start(GatewayConfig.fromEnv(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "CHAT_TOPIC_PREFIX", prefix,
                "DATABASE_URL", SharedInfrastructure.freshDatabase("GracefulShutdownIT"),
                "DATABASE_USER", postgres.user(),
                "DATABASE_PASSWORD", postgres.password(),
                "CHAT_PORT", "0",
                "CHAT_BIND_ADDRESS", "127.0.0.1",
                "CHAT_NODE_ID", "gw-drain")), Clock.systemUTC());
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        try {
            TestUsers.Login login = TestUsers.registerAndLogin(new ApiClient(gateway.port()), "drainit");
            WsTestClient client = WsTestClient.connect(URI.create("ws://127.0.0.1:" + gateway.port() + "/v1/ws"),
                    login.accessToken());
            // Sends are taken before the session is open (its directory row and SessionOpened follow the
            // authentication), and a socket that ends before then never had a session to close: on a loaded
            // machine the stop could come first and the user side would rightly hear of neither. This test is about
            // a drain that closes an open session, so it starts from one.
            Topic<String, UserCommand> userInbound = new TopicCatalogue(prefix).userInbound();
            await().atMost(Duration.ofSeconds(30)).until(() -> TopicRecords.values(bootstrap, userInbound,
                    login.userId()).stream().anyMatch(command -> command.getCommand() instanceof SessionOpened));
            for (int i = 0; i < SENDS; i++) {
                client.send("{\"type\":\"send\",\"ref\":\"r" + i + "\",\"id\":\"m" + i + "\",\"conversationId\":\""
                        + CONVERSATION + "\",\"body\":\"b" + i + "\"}");
            }
            List<JsonNode> frames = new ArrayList<>();
            frames.add(client.next()); // the first answer: the stop hits the sends still in flight behind it
            Thread.ofVirtual().start(() -> {
                try {
                    gateway.close();
                    stopped.complete(null);
                } catch (Exception e) {
                    stopped.completeExceptionally(e);
                }
            });

            assertEquals(CloseCodes.GOING_AWAY,
                    client.closeCode.get(WsTestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS), "reconnect elsewhere");
            stopped.get(WsTestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            for (JsonNode frame = client.poll(0); frame != null; frame = client.poll(0)) {
                frames.add(frame);
            }

            Set<String> okd = new HashSet<>();
            for (JsonNode frame : frames) {
                if (frame.path("type").asText().equals("ok")) {
                    okd.add(frame.path("id").asText());
                } else {
                    // refused during the drain: the client is to send it again once reconnected
                    assertEquals("error", frame.path("type").asText(), frame.toString());
                    assertEquals("internal", frame.path("code").asText(), frame.toString());
                }
            }
            assertFalse(okd.isEmpty());
            Set<String> logged = new HashSet<>();
            for (InboundCommand command : TopicRecords.values(bootstrap, new TopicCatalogue(prefix).inbound(),
                    CONVERSATION)) {
                logged.add(((SendMessage) command.getCommand()).getClientId());
            }
            assertTrue(logged.containsAll(okd), "ok'd " + okd + ", logged " + logged);

            List<Object> sessionEvents = TopicRecords.values(bootstrap, new TopicCatalogue(prefix).userInbound(),
                    login.userId()).stream().map(UserCommand::getCommand)
                    .filter(c -> c instanceof SessionOpened || c instanceof SessionClosed).toList();
            assertEquals(List.of(SessionOpened.class, SessionClosed.class),
                    sessionEvents.stream().map(Object::getClass).toList());
            assertEquals(((SessionOpened) sessionEvents.get(0)).getSessionId(),
                    ((SessionClosed) sessionEvents.get(1)).getSessionId());
        } finally {
            gateway.close(); // idempotent: stops the node when an assertion failed first
        }
    }
}
