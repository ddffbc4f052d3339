package io.kchat.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Origins secure by default (API, "Browsers: origins"), over real sockets: with WS_ALLOWED_ORIGINS unset only the
 * gateway's own origin, {@code http://127.0.0.1:<port>} here, may open a socket, and clients that send no Origin
 * may. Behind a proxy, the origin its forwarded headers describe counts only when the TCP peer is a trusted proxy:
 * the upgrade cannot see the peer, so the open socket is closed at once (1008) when it is not. Loopback addresses
 * stand for the other machines: 127.0.0.3 is the trusted proxy, 127.0.0.2 a client talking to the gateway directly.
 */
class WsOriginIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROXY = "127.0.0.3";
    private static final String CLIENT = "127.0.0.2";
    /** What a TLS-terminating proxy in front of the gateway tells it about the page's origin. */
    private static final Map<String, String> FORWARDED = Map.of("Origin", "https://chat.example",
            "X-Forwarded-Proto", "https", "X-Forwarded-Host", "chat.example");

    private static WsServerFixture defaults;
    private static WsServerFixture behindProxy;

    @BeforeAll
    static void start() {
        defaults = WsServerFixture.start("WsOriginIT", settings -> settings);
        behindProxy = WsServerFixture.startBehind("WsOriginProxyIT", Set.of(PROXY));
    }

    @AfterAll
    static void stop() throws Exception {
        if (defaults != null) {
            defaults.close();
        }
        if (behindProxy != null) {
            behindProxy.close();
        }
    }

    @Test
    void anotherSitesOriginIsRefusedWith403ProblemJson() throws Exception {
        try (RawWsClient refused = RawWsClient.upgrade("127.0.0.1", defaults.port(),
                Map.of("Origin", "https://evil.example", "Authorization", "Bearer token-evil"))) {
            assertEquals(403, refused.status());
            assertEquals("application/problem+json", refused.header("Content-Type"));
            JsonNode problem = JSON.readTree(refused.body());
            assertEquals("forbidden", problem.get("code").asText());
            assertEquals(403, problem.get("status").asInt());
            assertEquals("origin not allowed", problem.get("detail").asText());
        }
    }

    @Test
    void theGatewaysOwnOriginConnectsButNotItsHostOnAnotherPortOrScheme() throws Exception {
        String own = "http://127.0.0.1:" + defaults.port();
        WsTestClient client = defaults.connect("token-own", own);
        assertPong(client, "own");
        client.closeNormally();

        for (String other : List.of("http://127.0.0.1:" + (defaults.port() + 1), "https://127.0.0.1:" + defaults.port(),
                "http://localhost:" + defaults.port())) {
            assertEquals(403, handshakeStatus(defaults, other), other);
        }
    }

    @Test
    void aClientWithoutOriginConnectsButNotOneWithTheOpaqueOrigin() throws Exception {
        WsTestClient client = defaults.connect("token-no-origin");
        assertPong(client, "none");
        client.closeNormally();

        // what a sandboxed frame or a file:// page sends: no origin at all, and never allowed
        assertEquals(403, handshakeStatus(defaults, "null"));
    }

    @Test
    void withoutTrustedProxiesForwardedHeadersAreIgnored() throws Exception {
        try (RawWsClient refused = RawWsClient.upgrade("127.0.0.1", defaults.port(), FORWARDED)) {
            assertEquals(403, refused.status());
        }
    }

    @Test
    void aForwardedOriginFromAPeerThatIsNoTrustedProxyIsClosed1008BeforeAnythingElse() throws Exception {
        Map<String, String> headers = new HashMap<>(FORWARDED);
        headers.put("Authorization", "Bearer token-spoofed");
        try (RawWsClient client = RawWsClient.upgrade(CLIENT, behindProxy.port(), headers)) {
            // the upgrade could not know the peer: accepted, then closed once open
            assertEquals(101, client.status());
            RawWsClient.Frame first = client.nextFrame();
            assertEquals(RawWsClient.CLOSE, first.opcode());
            assertEquals(1008, first.closeCode());
            assertEquals("origin not allowed",
                    new String(first.payload(), 2, first.payload().length - 2, StandardCharsets.UTF_8));
        }
        // its token was never used: no session was registered
        List<String> users = new ArrayList<>();
        behindProxy.registry.forEachSession(session -> {
            if (session.identity() != null) {
                users.add(session.identity().userId());
            }
        });
        assertEquals(List.of(), users.stream().filter("user-spoofed"::equals).toList());
    }

    @Test
    void aForwardedOriginFromATrustedProxyConnects() throws Exception {
        Map<String, String> headers = new HashMap<>(FORWARDED);
        headers.put("Authorization", "Bearer token-proxied");
        try (RawWsClient client = RawWsClient.upgrade(PROXY, behindProxy.port(), headers)) {
            assertEquals(101, client.status());
            client.sendText("{\"type\":\"ping\",\"ref\":\"proxied\"}");
            RawWsClient.Frame answer = client.nextFrame();
            assertEquals(JSON.readTree("{\"type\":\"pong\",\"ref\":\"proxied\"}"), JSON.readTree(answer.text()));
        }
        // RFC 7239's header says the same
        try (RawWsClient client = RawWsClient.upgrade(PROXY, behindProxy.port(), Map.of("Origin",
                "https://chat.example", "Forwarded", "for=198.51.100.7;proto=https;host=chat.example",
                "Authorization", "Bearer token-proxied7239"))) {
            assertEquals(101, client.status());
            client.sendText("{\"type\":\"ping\",\"ref\":\"7239\"}");
            assertEquals("pong", JSON.readTree(client.nextFrame().text()).get("type").asText());
        }
        // an origin the proxy does not describe is still another site's
        try (RawWsClient refused = RawWsClient.upgrade(PROXY, behindProxy.port(), Map.of("Origin",
                "https://evil.example", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "chat.example"))) {
            assertEquals(403, refused.status());
        }
    }

    @Test
    void theHttpRouteSeesThePeerAndDecidesAtOnce() throws Exception {
        // a plain GET: answered 426 when the origin is allowed, 403 when not
        assertEquals(403, plainGet(CLIENT).statusCode());
        assertEquals(426, plainGet(PROXY).statusCode());
    }

    private static HttpResponse<String> plainGet(String from) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .localAddress(InetAddress.getByName(from)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + behindProxy.port() + ChatWebSocket.PATH));
        FORWARDED.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int handshakeStatus(WsServerFixture fixture, String origin) {
        CompletionException refused = assertThrows(CompletionException.class,
                () -> fixture.connect("token-refused", origin));
        return assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse().statusCode();
    }

    private static void assertPong(WsTestClient client, String ref) throws Exception {
        client.send("{\"type\":\"ping\",\"ref\":\"" + ref + "\"}");
        assertEquals(JSON.readTree("{\"type\":\"pong\",\"ref\":\"" + ref + "\"}"), client.next());
    }
}
