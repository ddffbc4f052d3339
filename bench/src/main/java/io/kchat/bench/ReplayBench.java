package io.kchat.bench;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time for a reconnecting device to receive its offline queue: one user sends N messages to another
 * whose device is registered but offline; then that device connects, and we time connect → `ready` →
 * `synced`, counting the distinct messages (by userSeq) received before `synced`.
 */
final class ReplayBench {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private final BenchApi api;
    private final int messages;

    ReplayBench(BenchApi api, int messages) {
        this.api = api;
        this.messages = messages;
    }

    void run(Report report) throws Exception {
        report.line("mode: replay; workload: " + messages + " messages queued in one direct conversation for one offline device");
        HttpClient http = HttpClient.newHttpClient();
        BenchApi.Login sender = api.newUser("replay_sender");
        BenchApi.Login receiver = api.newUser("replay_receiver");
        String conversationId = api.directConversation(sender, receiver);

        CountDownLatch echoed = new CountDownLatch(messages);
        long sendStart = System.nanoTime();
        try (BenchSocket socket = new BenchSocket(http, api.webSocket(), sender.accessToken(), frame -> {
            if (frame.json().path("type").asText().equals("message")) {
                echoed.countDown();
            }
        })) {
            for (int i = 0; i < messages; i++) {
                socket.send("{\"type\":\"send\",\"id\":\"m" + i + "\",\"conversationId\":\"" + conversationId
                        + "\",\"body\":\"queued message number " + i + "\"}");
            }
            await(echoed, "echoes of the sends");
        }
        double queueSeconds = (System.nanoTime() - sendStart) / 1e9;
        report.line(String.format("queued: %d messages accepted in %.2f s (%.0f msgs/s, pipelined over one socket)",
                messages, queueSeconds, messages / queueSeconds));

        Set<Long> userSeqs = new HashSet<>();
        AtomicLong readyAt = new AtomicLong();
        AtomicLong syncedAt = new AtomicLong();
        CountDownLatch synced = new CountDownLatch(1);
        long connectStart = System.nanoTime();
        try (BenchSocket ignored = new BenchSocket(http, api.webSocket(), receiver.accessToken(), frame -> {
            switch (frame.json().path("type").asText()) {
                case "ready" -> readyAt.set(frame.arrivedNanos());
                case "message" -> userSeqs.add(frame.json().path("userSeq").asLong());
                case "synced" -> {
                    syncedAt.set(frame.arrivedNanos());
                    synced.countDown();
                }
                default -> { }
            }
        })) {
            await(synced, "synced");
        }
        double toReady = (readyAt.get() - connectStart) / 1e6;
        double toSynced = (syncedAt.get() - connectStart) / 1e6;
        report.line(String.format("replay: %d distinct messages before synced; connect→ready %.0f ms, connect→synced %.0f ms"
                + " (%.0f msgs/s)", userSeqs.size(), toReady, toSynced, userSeqs.size() / (toSynced / 1000)));
        if (userSeqs.size() != messages) {
            report.line("WARNING: expected " + messages + " queued messages, got " + userSeqs.size()
                    + " (is USER_LOG_MAX_EVENTS below the workload?)");
        }
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("timed out waiting for " + what + " (" + latch.getCount() + " missing)");
        }
    }
}
