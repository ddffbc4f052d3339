package io.kchat.fault;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kchat.events.PushDue;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.infra.WebPushReceiver;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 of the delivery-service, which holds the push sender (D15), while it pushes to devices that stay away. Every
 * push the user side decided (each device named by each committed {@code PushDue} on chat.push) must reach the
 * local Web Push service, decrypted and VAPID-signed, and none may arrive twice, except a push that was in flight when
 * the process died: its claim is still 'sending' in push_deliveries, so the next sender cannot know whether the push
 * service took it and sends it again (the Topic header then lets the push service keep one). The test reads those
 * claims while the sender is dead and allows a repeat of exactly those.
 */
class PushCrashIT {

    private static final Logger log = LoggerFactory.getLogger(PushCrashIT.class);
    private static final int DEVICES = 20;
    private static final Duration ROUND = Duration.ofMillis(700);
    private static final Duration SLOW_ANSWER = Duration.ofMillis(300);
    private static final int ROUNDS = 14;
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path stateRoot;
    private Stack stack;

    @AfterEach
    void tearDown() {
        if (stack != null) {
            stack.close();
        }
    }

    /** A push as the device got it (by its subscription's name, the user id) or as the user side decided it. */
    private record PushKey(String userId, String conversationId, long seq) {
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void noPushIsLostOrRepeatedWhenTheSenderIsKilled() throws Exception {
        stack = Stack.start("push-crash", SharedInfrastructure.kafka().bootstrapServers(), stateRoot, 1, 1, Map.of(
                "PUSH_ALLOW_HTTP", "true",
                "PUSH_ALLOW_PRIVATE_ENDPOINTS", "true",
                "PUSH_GRACE", "1s",
                "PUSH_DEVICE_RATE", "100000"));
        Rest rest = new Rest(HttpClient.newHttpClient(), stack::livePorts);
        rest.register("sender", PASSWORD);
        Rest.Login sender = rest.login("sender", PASSWORD, "sender-phone");
        String vapid = rest.get("/v1/push/vapid", sender.accessToken()).body().path("publicKey").asText();

        try (WebPushReceiver pushService = WebPushReceiver.start(Base64.getUrlDecoder().decode(vapid))) {
            Map<String, String> conversations = new LinkedHashMap<>(); // conversationId -> recipient's userId
            for (int i = 0; i < DEVICES; i++) {
                rest.register("away" + i, PASSWORD);
                Rest.Login away = rest.login("away" + i, PASSWORD, "away-phone-" + i);
                WebPushReceiver.Handed handed = pushService.subscribe(away.userId());
                // a push service that takes its time: at any moment of the run some pushes are in flight
                pushService.script(away.userId(), java.util.stream.IntStream.range(0, 40)
                        .mapToObj(n -> WebPushReceiver.Reply.slow(SLOW_ANSWER)).toArray(WebPushReceiver.Reply[]::new));
                assertEquals(204, rest.put("/v1/devices/me/push", away.accessToken(),
                        Rest.JSON.readTree(handed.subscriptionJson(false))).status());
                conversations.put(rest.createDirect(sender.accessToken(), away.userId()), away.userId());
            }

            // the load runs throughout; the sender is killed at a busy moment, while pushes are in flight
            AtomicInteger rounds = new AtomicInteger();
            CompletableFuture<Void> load = new CompletableFuture<>();
            ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("push-load").factory());
            pacer.scheduleWithFixedDelay(() -> {
                try {
                    if (rounds.get() < ROUNDS) {
                        sendRound(rest, sender, conversations, rounds.get());
                        rounds.incrementAndGet();
                    } else {
                        load.complete(null);
                    }
                } catch (RuntimeException | Error e) {
                    load.completeExceptionally(e);
                    throw e;
                }
            }, 0, ROUND.toMillis(), TimeUnit.MILLISECONDS);
            load.whenComplete((done, failure) -> pacer.shutdownNow());
            await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(60))
                    .until(() -> pushService.all().size() >= DEVICES && !claimsInFlight().isEmpty());
            stack.delivery().kill9();
            Set<PushKey> inFlight = claimsInFlight();
            int killedAt = rounds.get();
            log.info("sender killed after round {} with {} pushes received, {} claims in flight", killedAt,
                    pushService.all().size(), inFlight.size());
            // bursts keep being decided while no sender runs
            await().atMost(Duration.ofSeconds(60)).until(() -> rounds.get() >= killedAt + 3);
            stack.delivery().restart();
            load.get(2, TimeUnit.MINUTES);

            // the last bursts fall due a grace after the last send: wait until what was decided and what arrived
            // agree, and stay so (whatever repeats has had its chance to)
            await().pollInterval(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(90))
                    .until(() -> received(pushService).keySet().equals(decided()));
            await().pollInterval(Duration.ofSeconds(1)).during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> received(pushService).keySet().equals(decided()));

            Set<PushKey> decided = decided();
            assertTrue(decided.size() >= DEVICES * 3, "bursts pushed: " + decided.size());
            Map<PushKey, Integer> received = received(pushService);
            assertEquals(List.of(), pushService.problems(), "every push decrypted and signed as RFC 8291/8292 ask");
            assertEquals(List.of(), difference(received.keySet(), decided), "no push the user side did not decide");
            assertEquals(List.of(), difference(decided, received.keySet()), "no push lost");
            Set<PushKey> repeated = received.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
            assertTrue(inFlight.containsAll(repeated),
                    "only a push in flight at the kill may come twice: repeated " + repeated + ", in flight " + inFlight);
            log.info("{} pushes decided, {} received once, {} repeated (in flight at the kill: {})", decided.size(),
                    received.size() - repeated.size(), repeated.size(), inFlight.size());
        }
    }

    /** Round {@code round}: one message into every conversation; rounds {@link #ROUND} apart make a burst each, mostly. */
    private static void sendRound(Rest rest, Rest.Login sender, Map<String, String> conversations, int round) {
        for (String conversationId : conversations.keySet()) {
            ObjectNode message = Rest.JSON.createObjectNode().put("id", "r" + round + "-" + conversationId)
                    .put("body", "round " + round);
            Rest.Response sent = rest.post("/v1/conversations/" + conversationId + "/messages",
                    sender.accessToken(), message);
            assertEquals(202, sent.status(), sent.toString());
        }
    }

    /** Every (device's user, conversation, seq) the user side decided, from chat.push as committed. */
    private Set<PushKey> decided() {
        Set<PushKey> decided = new HashSet<>();
        try (TopicReader<PushDue> reader = new TopicReader<>(stack.bootstrapServers(), stack.topics().push(),
                "read_committed")) {
            for (ConsumerRecord<String, PushDue> record : reader.readToEnd(Duration.ofSeconds(30))) {
                PushDue due = record.value();
                assertEquals(1, due.getDeviceIds().size(), "one device per user, away: " + due);
                decided.add(new PushKey(due.getUserId(), due.getConversationId(), due.getSeq()));
            }
        }
        return decided;
    }

    /** How often each push reached the push service, accepted. */
    private static Map<PushKey, Integer> received(WebPushReceiver pushService) {
        Map<PushKey, Integer> counts = new HashMap<>();
        for (WebPushReceiver.Received push : pushService.all()) {
            if (push.problem() == null && push.status() == 201) {
                counts.merge(new PushKey(push.subscription(), push.message().path("conversationId").asText(),
                        push.message().path("seq").asLong()), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** The claims a dead sender left 'sending': it cannot be known whether the push service took them. */
    private Set<PushKey> claimsInFlight() throws SQLException {
        Set<PushKey> inFlight = new HashSet<>();
        try (Connection db = stack.openDatabase(); Statement query = db.createStatement();
             ResultSet rows = query.executeQuery(
                     "SELECT user_id, conversation_id, seq FROM push_deliveries WHERE state = 'sending'")) {
            while (rows.next()) {
                inFlight.add(new PushKey(rows.getString(1), rows.getString(2), rows.getLong(3)));
            }
        }
        return inFlight;
    }

    private static List<PushKey> difference(Set<PushKey> a, Set<PushKey> b) {
        List<PushKey> out = new ArrayList<>(a);
        out.removeAll(b);
        return out;
    }
}
