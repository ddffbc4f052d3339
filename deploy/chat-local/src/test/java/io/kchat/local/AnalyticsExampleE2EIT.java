package io.kchat.local;

import static io.kchat.local.ChatClients.token;
import static io.kchat.local.ChatClients.userId;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.examples.analytics.AnalyticsApp;
import io.kchat.examples.analytics.AnalyticsConfig;
import io.kchat.examples.analytics.WindowFigures;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics example (examples/analytics) against the whole stack: messages sent through the REST API reach
 * chat.message-meta, and the example reports, per conversation and window, the figures that the stack's own history
 * of those messages gives. Windows of a few seconds keep it short; they close on the example's stream time, so a
 * last message per conversation, sent after them, closes them.
 */
class AnalyticsExampleE2EIT {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsExampleE2EIT.class);
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final Duration GRACE = Duration.ofSeconds(1);
    private static final Duration WAIT = ChatClients.WAIT;

    @TempDir
    Path dir;
    private Http http;
    private int sent;

    @Test
    void reportsMessagesSendersAndCharsPerConversationAndWindowAsTheHistoryHasThem() throws Exception {
        try (LocalStack stack = new LocalStack("analytics", dir.resolve("stack"))) {
            http = new Http(stack.port());
            JsonNode alice = http.newUser("alice");
            JsonNode bob = http.newUser("bob");
            JsonNode carol = http.newUser("carol");
            String group = conversation(alice, "{\"type\":\"group\",\"title\":\"team\",\"memberIds\":[\""
                    + userId(bob) + "\",\"" + userId(carol) + "\"]}");
            String direct = conversation(bob, "{\"type\":\"direct\",\"userId\":\"" + userId(alice) + "\"}");

            Queue<WindowFigures> reported = new ConcurrentLinkedQueue<>();
            AnalyticsConfig config = new AnalyticsConfig(stack.bootstrapServers(), stack.topicPrefix(),
                    stack.topicPrefix() + "analytics-it", WINDOW, GRACE, dir.resolve("analytics"));
            try (AnalyticsApp app = new AnalyticsApp(config, figures -> {
                log.info(figures.describe());
                reported.add(figures);
            })) {
                app.start();
                await().atMost(WAIT).until(() -> app.state() == KafkaStreams.State.RUNNING);

                send(alice, group, "hello team");
                send(bob, group, "h\u00e9llo \uD83D\uDC4B"); // 7 code points, 8 UTF-16 chars
                send(carol, group, "hi");
                send(alice, group, "ok");
                send(bob, direct, "lunch?");
                List<JsonNode> history = new ArrayList<>(history(alice, group, 4));
                history.addAll(history(alice, direct, 1));
                Set<WindowFigures> expected = figuresOf(history);

                // Stream time passes the last window's end plus grace only with a later message in each partition.
                Instant closed = history.stream().map(m -> windowStart(Instant.parse(m.path("ts").asText())))
                        .max(Instant::compareTo).orElseThrow().plus(WINDOW).plus(GRACE);
                // letting time pass, not waiting for an event: the next messages must be stamped after `closed`
                await().atMost(WINDOW.plus(GRACE).plusSeconds(5)).until(() -> Instant.now().isAfter(closed));
                send(alice, group, "later");
                send(alice, direct, "later");

                await().atMost(WAIT).until(() -> reported.size() >= expected.size());
                assertEquals(expected, Set.copyOf(reported), "one report per conversation and window, as in the history");
                assertEquals(expected.size(), reported.size(), "each window reported once");
            }
        }
    }

    private String conversation(JsonNode creator, String json) throws Exception {
        Http.Response created = http.post("/v1/conversations", token(creator), json);
        assertEquals(201, created.status(), created.toString());
        return created.body().path("conversationId").asText();
    }

    private void send(JsonNode sender, String conversationId, String body) throws Exception {
        Http.Response accepted = http.post("/v1/conversations/" + conversationId + "/messages", token(sender),
                "{\"id\":\"a" + (++sent) + "\",\"body\":\"" + body + "\"}");
        assertEquals(202, accepted.status(), accepted.toString());
    }

    /** The conversation's messages once the archive has all {@code count}: the stack's own record of them. */
    private List<JsonNode> history(JsonNode member, String conversationId, int count) {
        List<JsonNode> messages = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            messages.clear();
            http.get("/v1/conversations/" + conversationId + "/messages", token(member)).body().path("messages")
                    .forEach(messages::add);
            return messages.size() == count;
        });
        return messages;
    }

    /** What the example should report for these messages: count, distinct senders and code points per window. */
    private static Set<WindowFigures> figuresOf(List<JsonNode> messages) {
        record Key(String conversationId, Instant windowStart) {
        }
        Map<Key, List<JsonNode>> byWindow = new HashMap<>();
        for (JsonNode m : messages) {
            Key key = new Key(m.path("conversationId").asText(), windowStart(Instant.parse(m.path("ts").asText())));
            byWindow.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
        }
        Set<WindowFigures> figures = new HashSet<>();
        byWindow.forEach((key, inWindow) -> figures.add(new WindowFigures(key.conversationId(), key.windowStart(),
                WINDOW, inWindow.size(),
                (int) inWindow.stream().map(m -> m.path("senderId").asText()).distinct().count(),
                inWindow.stream().mapToLong(m -> m.path("body").asText().codePoints().count()).sum())));
        return figures;
    }

    /** Tumbling windows are aligned to the epoch, as Kafka Streams' TimeWindows. */
    private static Instant windowStart(Instant ts) {
        long size = WINDOW.toMillis();
        return Instant.ofEpochMilli(ts.toEpochMilli() - Math.floorMod(ts.toEpochMilli(), size));
    }
}
