package io.kchat.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client (JDK) that records every frame it receives. */
final class WsClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final WebSocket socket;
    private final java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();

    private WsClient(URI uri, String token) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                frames.add(JSON.readTree(partial.toString()));
                            } catch (Exception e) {
                                throw new IllegalStateException("server sent invalid JSON: " + partial, e);
                            }
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }
                }).join();
    }

    static WsClient connect(int port, String token) {
        return new WsClient(URI.create("ws://127.0.0.1:" + port + "/v1/ws"), token);
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }

    /** The next frame matching {@code filter}, skipping (but keeping in {@link #seen()}) the others. */
    JsonNode await(Predicate<JsonNode> filter, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode next = frames.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next != null) {
                seen.add(next);
                if (filter.test(next)) {
                    return next;
                }
            }
        }
        throw new AssertionError("no matching frame within " + timeout + "; seen: " + seen);
    }

    /** A frame matching {@code filter}: the first already {@link #seen()}, else the next to arrive. */
    JsonNode awaitSeenOrNext(Predicate<JsonNode> filter, Duration timeout) throws InterruptedException {
        for (JsonNode frame : seen) {
            if (filter.test(frame)) {
                return frame;
            }
        }
        return await(filter, timeout);
    }

    /** Every frame up to and including the next one matching {@code last}, in arrival order. */
    List<JsonNode> collectUntil(Predicate<JsonNode> last, Duration timeout) throws InterruptedException {
        int from = seen.size();
        await(last, timeout);
        return List.copyOf(seen.subList(from, seen.size()));
    }

    /** Frames that arrive within {@code quiet}, for asserting that something does NOT come. */
    List<JsonNode> drain(Duration quiet) throws InterruptedException {
        List<JsonNode> drained = new ArrayList<>();
        JsonNode next;
        while ((next = frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
            seen.add(next);
            drained.add(next);
        }
        return drained;
    }

    JsonNode awaitType(String type) throws InterruptedException {
        return await(f -> f.path("type").asText().equals(type), Duration.ofSeconds(30));
    }

    /** The close code the server sent, waiting up to {@code timeout}. */
    int awaitClose(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<JsonNode> seen() {
        return seen;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
    }
}
