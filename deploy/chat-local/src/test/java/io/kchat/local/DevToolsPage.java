package io.kchat.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A DevTools (CDP) connection of its own to one page of a {@link Browser}, for what ChromeDriver's command endpoint
 * cannot do: receive events (the service worker's registrations are only ever told as events). It speaks the
 * protocol's JSON over a WebSocket to the page target that the browser's debugging address lists, beside
 * ChromeDriver's own connection, and so needs no Selenium CDP bindings of the browser's version.
 */
final class DevToolsPage implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);

    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();

    private DevToolsPage(WebSocket.Builder builder, URI target) {
        this.socket = builder.buildAsync(target, new Listener()).join();
    }

    /** Connects to the page of {@code driver}'s browser whose URL starts with {@code urlPrefix}. */
    static DevToolsPage connect(ChromeDriver driver, String urlPrefix) {
        Object options = driver.getCapabilities().getCapability("goog:chromeOptions");
        String address = String.valueOf(((Map<?, ?>) options).get("debuggerAddress"));
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = read(http, URI.create("http://" + address + "/json/list"));
        for (JsonNode target : targets) {
            if (target.path("type").asText().equals("page") && target.path("url").asText().startsWith(urlPrefix)) {
                return new DevToolsPage(http.newWebSocketBuilder(), URI.create(target.path("webSocketDebuggerUrl").asText()));
            }
        }
        throw new AssertionError("no page at " + urlPrefix + " among the browser's targets: " + targets);
    }

    /** Sends {@code method} and returns its result; a protocol error fails the test with its message. */
    JsonNode send(String method, Map<String, Object> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        answers.put(id, answer);
        ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
        command.set("params", JSON.valueToTree(params));
        socket.sendText(command.toString(), true).join();
        try {
            JsonNode reply = answer.get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new AssertionError(method + " was refused: " + reply.get("error"));
            }
            return reply.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(method + " was not answered", e);
        } finally {
            answers.remove(id);
        }
    }

    /** The params of the first event {@code method} so far that {@code accepted}, waiting for one up to {@code timeout}. */
    JsonNode awaitEvent(String method, Predicate<JsonNode> accepted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (JsonNode event : events) {
                    if (event.path("method").asText().equals(method) && accepted.test(event.path("params"))) {
                        return event.path("params");
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + method + " event as expected within " + timeout + "; saw "
                            + events.stream().map(e -> e.path("method").asText()).toList());
                }
                try {
                    events.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null).join();
        socket.abort();
    }

    private void received(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("DevTools sent something other than JSON: " + text, e);
        }
        if (message.has("id")) {
            CompletableFuture<JsonNode> answer = answers.get(message.get("id").asInt());
            if (answer != null) {
                answer.complete(message);
            }
            return;
        }
        synchronized (events) {
            events.add(message);
            events.notifyAll();
        }
    }

    private static JsonNode read(HttpClient http, URI uri) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Joins a message's frames; each whole message is handed to {@link #received}. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                received(text);
            }
            webSocket.request(1);
            return null;
        }
    }
}
