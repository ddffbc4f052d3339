package io.kchat.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JDK WebSocket client collecting whole text messages (Helidon's client is not in our registry). */
final class WsTestClient implements WebSocket.Listener {

    static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private WebSocket socket;

    static WsTestClient connect(URI url, String token) {
        return connect(url, token, null);
    }

    /** @param origin the {@code Origin} header, or null for none (as non-browser clients) */
    static WsTestClient connect(URI url, String token, String origin) {
        WsTestClient client = new WsTestClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (origin != null) {
            builder.header("Origin", origin);
        }
        client.socket = builder.buildAsync(url, client).join();
        return client;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    /** One fragment of a text message; the message ends with the fragment sent with {@code last}. */
    void sendFragment(String text, boolean last) {
        socket.sendText(text, last).join();
    }

    /** A WebSocket ping control frame (not the API's ping frame). */
    void sendPing() {
        socket.sendPing(ByteBuffer.allocate(0)).join();
    }

    /** The next frame if one arrives within {@code millis}, else null. */
    JsonNode poll(long millis) throws Exception {
        String text = received.poll(millis, TimeUnit.MILLISECONDS);
        return text == null ? null : JSON.readTree(text);
    }

    JsonNode next() throws Exception {
        String text = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(text, "no frame within " + WAIT);
        return JSON.readTree(text);
    }

    /** The next frame's type, or its userSeq for a message: a compact view of a stream. */
    String nextSummary() throws Exception {
        JsonNode frame = next();
        String type = frame.get("type").asText();
        return type.equals("message") ? frame.get("userSeq").asText() : type;
    }

    void closeNormally() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }
}
