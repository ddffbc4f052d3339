package io.kchat.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A local OpenAI-compatible chat-completions API for the tests and chat-local: {@code POST /v1/chat/completions} on
 * loopback, answered by a settable behaviour. By default it echoes: {@code "You asked: " + the last user message},
 * streamed as server-sent events in chunks of a few characters (or as one JSON completion when the request says
 * {@code stream: false}). Tests script other answers ({@link Reply}): given text, non-streamed JSON, an HTTP status
 * with Retry-After, a slow first token, an endless stream, garbage, a stream that breaks off, an error inside the
 * stream, a hang. Every request is recorded with its JSON body and Authorization header.
 *
 * <p>Each request runs on its own virtual thread; an endless stream ends when the client goes away (its next write
 * fails), everything else ends at {@link #close()}, which leaves no thread behind.
 */
public final class OpenAiCompatibleServer implements AutoCloseable {

    /** The path every request must use, under {@link #baseUrl()}. */
    public static final String COMPLETIONS_PATH = "/v1/chat/completions";

    /**
     * One request as received.
     *
     * @param body          its JSON; null when it was not JSON
     * @param authorization the Authorization header; null without one
     * @param headers       the first value of each header, names as the JDK server spells them ({@code Accept})
     */
    public record Request(String method, String path, JsonNode body, String authorization,
                          Map<String, String> headers, Instant at) {

        /** Whether the request asked for a streamed answer. */
        public boolean stream() {
            return body != null && body.path("stream").asBoolean(false);
        }

        public String model() {
            return body == null ? null : body.path("model").asText(null);
        }

        /** The messages as {@code role: content} strings, in order. */
        public List<String> messages() {
            List<String> messages = new ArrayList<>();
            if (body != null) {
                body.path("messages").forEach(m -> messages.add(m.path("role").asText() + ": "
                        + m.path("content").asText()));
            }
            return messages;
        }

        /** The content of the last message whose role is user; empty when there is none. */
        public String lastUserMessage() {
            String last = "";
            if (body != null) {
                for (JsonNode message : body.path("messages")) {
                    if ("user".equals(message.path("role").asText())) {
                        last = message.path("content").asText();
                    }
                }
            }
            return last;
        }
    }

    /** How one request is answered. */
    public sealed interface Reply {

        /** The echo ({@code "You asked: " + question}) as the server's echo chunking says. */
        static Reply echo() {
            return new Echo();
        }

        /** {@code text} streamed in chunks of a few characters, without pause. */
        static Reply stream(String text) {
            return new Streamed(text, 4, Duration.ZERO, Duration.ZERO, true);
        }

        /** {@code text} streamed in chunks of {@code chunkChars}, {@code delay} between two chunks. */
        static Reply stream(String text, int chunkChars, Duration delay) {
            return new Streamed(text, chunkChars, Duration.ZERO, delay, true);
        }

        /** The headers at once, the first piece of {@code text} only after {@code firstDelay}. */
        static Reply slowFirstToken(Duration firstDelay, String text) {
            return new Streamed(text, 4, firstDelay, Duration.ZERO, true);
        }

        /** {@code text} streamed, then the body ends without a finish_reason or {@code [DONE]}. */
        static Reply brokenAfter(String text) {
            return new Streamed(text, 4, Duration.ZERO, Duration.ZERO, false);
        }

        /** One JSON completion ({@code application/json}) whatever the request asked. */
        static Reply json(String text) {
            return new Json(text);
        }

        /** An error status with an OpenAI-style error body. */
        static Reply status(int status) {
            return new Status(status, null);
        }

        /** An error status with a {@code Retry-After} header (seconds or an HTTP date). */
        static Reply status(int status, String retryAfter) {
            return new Status(status, retryAfter);
        }

        /** Chunks of {@code piece} every {@code delay}, for as long as the client reads. */
        static Reply endless(String piece, Duration delay) {
            return new Endless(piece, delay);
        }

        /** A 200 whose body is lines of text, no server-sent events of JSON. */
        static Reply garbage() {
            return new Garbage("text/plain", "Hello\nthis is not an answer\n");
        }

        static Reply garbage(String contentType, String body) {
            return new Garbage(contentType, body);
        }

        /** {@code before} streamed, then an {@code error} object of {@code type} inside the stream. */
        static Reply streamError(String before, String type) {
            return new StreamError(before, type);
        }

        /** Accepts the request and sends nothing, not even headers, until the server closes. */
        static Reply hang() {
            return new Hang();
        }
    }

    public record Echo() implements Reply {
    }

    /** @param finish whether the stream ends properly (finish_reason, {@code [DONE]}) or just stops */
    public record Streamed(String text, int chunkChars, Duration firstDelay, Duration delay, boolean finish)
            implements Reply {
        public Streamed {
            Objects.requireNonNull(text, "text");
            if (chunkChars < 1) {
                throw new IllegalArgumentException("chunkChars must be >= 1");
            }
        }
    }

    public record Json(String text) implements Reply {
    }

    public record Status(int status, String retryAfter) implements Reply {
    }

    public record Endless(String piece, Duration delay) implements Reply {
    }

    public record Garbage(String contentType, String body) implements Reply {
    }

    public record StreamError(String before, String type) implements Reply {
    }

    public record Hang() implements Reply {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LONGEST_HANG = Duration.ofMinutes(10);

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Reply> script = new ArrayDeque<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger sequence = new AtomicInteger();
    private volatile Function<Request, Reply> otherwise = request -> new Echo();
    private volatile int echoChunkChars = 4;
    private volatile Duration echoDelay = Duration.ofMillis(2);

    private OpenAiCompatibleServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    /** A server on loopback and a free port, echoing until told otherwise. */
    public static OpenAiCompatibleServer start() throws IOException {
        return start(0);
    }

    /**
     * A server on loopback and {@code port} (0: a free one), echoing until told otherwise: for a stack started with
     * ASSISTANT_BASE_URL fixed before the server exists (the bench).
     */
    public static OpenAiCompatibleServer start(int port) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
        return new OpenAiCompatibleServer(port);
    }

    /** What ASSISTANT_BASE_URL is set to: {@code http://127.0.0.1:<port>/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The next requests get these answers, in order, before the {@link #otherwise} behaviour resumes. */
    public void script(Reply... replies) {
        synchronized (script) {
            script.addAll(List.of(replies));
        }
    }

    /** The answer to every request once the script is used up (the echo at start). */
    public void otherwise(Reply reply) {
        Objects.requireNonNull(reply, "reply");
        otherwise = request -> reply;
    }

    /** The answer to every request once the script is used up, chosen per request. */
    public void otherwise(Function<Request, Reply> responder) {
        otherwise = Objects.requireNonNull(responder, "responder");
    }

    /** How the echo is streamed: chunks of {@code chars} characters, {@code delay} between two. */
    public void echoChunks(int chars, Duration delay) {
        if (chars < 1) {
            throw new IllegalArgumentException("chars must be >= 1");
        }
        echoChunkChars = chars;
        echoDelay = Objects.requireNonNull(delay, "delay");
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public int requestCount() {
        return requests.size();
    }

    public Request lastRequest() {
        if (requests.isEmpty()) {
            throw new IllegalStateException("no request yet");
        }
        return requests.get(requests.size() - 1);
    }

    /** Requests being answered right now: zero once every client got its answer or went away. */
    public int activeRequests() {
        return active.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        active.incrementAndGet();
        try (exchange) {
            Request request = record(exchange);
            if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath()
                    .equals(COMPLETIONS_PATH)) {
                sendError(exchange, new Status(404, null));
                return;
            }
            answer(exchange, request, next(request));
        } catch (IOException e) {
            // the client went away: nothing to answer any more
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        } finally {
            active.decrementAndGet();
        }
    }

    private Request record(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        JsonNode body;
        try {
            body = JSON.readTree(bytes);
        } catch (IOException e) {
            body = null;
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.isEmpty() ? "" : values.get(0)));
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body,
                exchange.getRequestHeaders().getFirst("Authorization"), headers, Instant.now());
        requests.add(request);
        return request;
    }

    private Reply next(Request request) {
        synchronized (script) {
            Reply scripted = script.poll();
            if (scripted != null) {
                return scripted;
            }
        }
        return otherwise.apply(request);
    }

    private void answer(HttpExchange exchange, Request request, Reply reply) throws IOException, InterruptedException {
        switch (reply) {
            case Echo echo -> answer(exchange, request, new Streamed("You asked: " + request.lastUserMessage(),
                    echoChunkChars, Duration.ZERO, echoDelay, true));
            case Streamed streamed when !request.stream() -> {
                pause(streamed.firstDelay());
                sendJson(exchange, streamed.text());
            }
            case Streamed streamed -> stream(exchange, streamed);
            case Json json -> sendJson(exchange, json.text());
            case Status status -> sendError(exchange, status);
            case Endless endless -> endless(exchange, endless);
            case Garbage garbage -> {
                byte[] body = garbage.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", garbage.contentType());
                exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
            }
            case StreamError error -> {
                OutputStream out = startStream(exchange);
                send(out, chunk(null, error.before(), null));
                ObjectNode body = JSON.createObjectNode();
                body.putObject("error").put("message", "scripted error").put("type", error.type());
                send(out, body.toString());
            }
            case Hang hang -> closed.await(LONGEST_HANG.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void stream(HttpExchange exchange, Streamed streamed) throws IOException, InterruptedException {
        OutputStream out = startStream(exchange);
        send(out, chunk("assistant", "", null));
        pause(streamed.firstDelay());
        String text = streamed.text();
        for (int start = 0; start < text.length(); ) {
            int end = Math.min(text.length(), text.offsetByCodePoints(start,
                    Math.min(streamed.chunkChars(), text.codePointCount(start, text.length()))));
            if (start > 0) {
                pause(streamed.delay());
            }
            send(out, chunk(null, text.substring(start, end), null));
            start = end;
        }
        if (streamed.finish()) {
            send(out, chunk(null, null, "stop"));
            send(out, "[DONE]");
        }
    }

    private void endless(HttpExchange exchange, Endless endless) throws IOException, InterruptedException {
        OutputStream out = startStream(exchange);
        send(out, chunk("assistant", "", null));
        while (closed.getCount() > 0) {
            send(out, chunk(null, endless.piece(), null)); // fails once the client is gone
            pause(endless.delay());
        }
    }

    private static OutputStream startStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private static void send(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private String chunk(String role, String content, String finishReason) {
        ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-" + sequence.incrementAndGet())
                .put("object", "chat.completion.chunk").put("created", Instant.now().getEpochSecond())
                .put("model", "local");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (role != null) {
            delta.put("role", role);
        }
        if (content != null) {
            delta.put("content", content);
        }
        choice.put("finish_reason", finishReason);
        return chunk.toString();
    }

    private void sendJson(HttpExchange exchange, String text) throws IOException {
        ObjectNode completion = JSON.createObjectNode().put("id", "chatcmpl-" + sequence.incrementAndGet())
                .put("object", "chat.completion").put("created", Instant.now().getEpochSecond())
                .put("model", "local");
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text);
        choice.put("finish_reason", "stop");
        send(exchange, 200, "application/json", completion.toString());
    }

    private static void sendError(HttpExchange exchange, Status status) throws IOException {
        if (status.retryAfter() != null) {
            exchange.getResponseHeaders().set("Retry-After", status.retryAfter());
        }
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", "scripted status " + status.status())
                .put("type", status.status() == 429 ? "rate_limit_exceeded" : "scripted");
        send(exchange, status.status(), "application/json", body.toString());
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Sleeps, but not past {@link #close()}. */
    private void pause(Duration delay) throws InterruptedException {
        if (delay.isPositive() && closed.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new InterruptedException("closed");
        }
    }

    /** Stops accepting, ends every handler (hangs and streams included) and waits for their threads. */
    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        handlers.shutdownNow();
        try {
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
