package io.kchat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kchat.infra.WebPushReceiver;
import io.kchat.settings.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * Mode {@code push}: {@code --devices} users each with one device that is away (no socket) and a Web Push
 * subscription at a local push service in this JVM ({@link WebPushReceiver}: it checks the VAPID signature and
 * decrypts every push, RFC 8291/8292); one sender with a direct conversation to each. Each of {@code --rounds} rounds
 * sends one message into every conversation over REST, then waits until every device got its push for it (the seq
 * in the decrypted payload is checked). Latency is from the moment the send was answered (the message durably
 * logged) to the push reaching the push service: the stack's {@code PUSH_GRACE} (given as {@code --grace}, for the
 * report) plus what the user side, {@code chat.push} and the sender add. The stack must allow a push service on
 * loopback over http (bench/run sets PUSH_ALLOW_HTTP and PUSH_ALLOW_PRIVATE_ENDPOINTS for this mode).
 */
final class PushBench {

    static final Set<String> OPTIONS = Set.of("url", "sms-port", "kafka", "report", "devices", "rounds", "grace");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(120);

    private PushBench() {
    }

    static void run(Options options, Report report) throws Exception {
        int devices = options.integer("devices", 100);
        int rounds = options.integer("rounds", 10);
        String grace = options.text("grace", "3s");
        report.line("mode: push");
        report.line(String.format(Locale.ROOT, "workload: %d users each with one device away and a Web Push "
                + "subscription (aes128gcm, VAPID) at a push service on loopback; %d rounds of one message to each "
                + "over REST from one sender, each round waiting for every push; the stack's PUSH_GRACE is %s",
                devices, rounds, grace));

        BenchApi api = new BenchApi(Gateways.from(options));
        BenchApi.Login sender = api.newUser("pusher");
        byte[] vapid = Base64.getUrlDecoder().decode(api.get("/v1/push/vapid", sender).path("publicKey").asText());
        Histogram sendToPush = new Histogram(3_600_000_000L, 3);
        try (WebPushReceiver pushService = WebPushReceiver.start(vapid)) {
            Map<String, String> deviceOf = new LinkedHashMap<>(); // conversationId -> the subscription's name
            for (int i = 0; i < devices; i++) {
                BenchApi.Login away = api.newUser("away" + i);
                WebPushReceiver.Handed handed = pushService.subscribe(away.userId());
                api.put("/v1/devices/me/push", away, JSON.readTree(handed.subscriptionJson(false)), 204);
                deviceOf.put(api.directConversation(sender, away), away.userId());
            }
            for (int round = 0; round < rounds; round++) {
                Map<String, Instant> sentAt = new LinkedHashMap<>();
                for (String conversationId : deviceOf.keySet()) {
                    ObjectNode message = JSON.createObjectNode().put("id", "push-" + round + "-" + conversationId)
                            .put("body", "round " + round);
                    api.post("/v1/conversations/" + conversationId + "/messages", sender, message, 202);
                    sentAt.put(conversationId, Instant.now());
                }
                long deadline = System.nanoTime() + ROUND_TIMEOUT.toNanos();
                int expected = round + 1;
                while (deviceOf.values().stream().anyMatch(name -> pushService.delivered(name).size() < expected)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("round " + round + ": pushes missing after " + ROUND_TIMEOUT
                                + "; problems: " + pushService.problems());
                    }
                    Thread.sleep(20);
                }
                for (Map.Entry<String, String> device : deviceOf.entrySet()) {
                    List<WebPushReceiver.Received> pushes = pushService.delivered(device.getValue());
                    if (pushes.size() != expected) {
                        throw new IllegalStateException(device.getValue() + " got " + pushes.size() + " pushes after "
                                + expected + " rounds");
                    }
                    WebPushReceiver.Received push = pushes.get(round);
                    JsonNode payload = push.message();
                    if (payload.path("seq").asLong() != expected
                            || !payload.path("conversationId").asText().equals(device.getKey())) {
                        throw new IllegalStateException("unexpected push " + payload + " in round " + round);
                    }
                    long micros = Duration.between(sentAt.get(device.getKey()), push.at()).toNanos() / 1_000;
                    sendToPush.recordValue(Math.max(0, micros));
                }
            }
            if (!pushService.problems().isEmpty()) {
                throw new IllegalStateException("invalid pushes: " + pushService.problems());
            }
        }
        LatencySummary summary = LatencySummary.of(sendToPush);
        report.line("send answered -> push at the push service: " + summary.format());
        report.line(String.format(Locale.ROOT, "of which PUSH_GRACE %s; the rest (user side, chat.push, sender, "
                + "encryption, HTTP): p50 %s ms, p99 %s ms", grace,
                LatencySummary.ms(summary.p50() - graceMicros(grace)), LatencySummary.ms(summary.p99() - graceMicros(grace))));
    }

    private static long graceMicros(String grace) {
        return Durations.parse(grace).toNanos() / 1_000;
    }
}
