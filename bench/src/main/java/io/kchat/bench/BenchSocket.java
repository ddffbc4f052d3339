package io.kchat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** A WebSocket client that hands every frame, parsed, with its arrival time, to one handler. */
final class BenchSocket implements AutoCloseable {

    record Frame(long arrivedNanos, JsonNode json) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final WebSocket socket;

    BenchSocket(HttpClient http, URI uri, String token, Consumer<Frame> handler) {
        this.socket = http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            long now = System.nanoTime();
                            try {
                                handler.accept(new Frame(now, JSON.readTree(partial.toString())));
                            } catch (Exception e) {
                                throw new IllegalStateException("unreadable frame: " + partial, e);
                            }
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).join();
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
    }
}
