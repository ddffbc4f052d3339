package io.kchat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SMS provider of a benchmark stack: the gateway runs with {@code OTP_SENDER=webhook} pointed here (loopback),
 * and this inbox hands each phone's code to the bench. Phone login costs no Argon2 hash, so thousands of devices
 * can be signed in on two cores in reasonable time; the path is the same one real phone logins take.
 */
final class SmsInbox implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    private final HttpServer server;
    private final Map<String, CompletableFuture<String>> codes = new ConcurrentHashMap<>();

    private SmsInbox(HttpServer server) {
        this.server = server;
    }

    static SmsInbox start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        SmsInbox inbox = new SmsInbox(server);
        server.createContext("/sms", inbox::receive);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return inbox;
    }

    /** The next code sent to {@code phone}; call before requesting it. Taken once. */
    CompletableFuture<String> expect(String phone) {
        return codes.computeIfAbsent(phone, p -> new CompletableFuture<>());
    }

    void forget(String phone) {
        codes.remove(phone);
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            JsonNode sms = JSON.readTree(body);
            Matcher code = CODE.matcher(sms.path("text").asText());
            if (!code.find()) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            expect(sms.path("to").asText()).complete(code.group(1));
            exchange.sendResponseHeaders(204, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
