package io.kchat.local;

import static io.kchat.local.ChatClients.WAIT;
import static io.kchat.local.ChatClients.message;
import static io.kchat.local.ChatClients.sendFrame;
import static io.kchat.local.ChatClients.token;
import static io.kchat.local.ChatClients.userId;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.local.PlaintextScan.Finding;
import io.kchat.local.PlaintextScan.Place;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The positive control of {@link PlaintextScan}: a plain conversation's message is where a plain message is kept,
 * and the scan finds it there; a needle nobody sent is found nowhere. Without this, a scan that finds nothing
 * would prove nothing about encrypted conversations.
 */
class PlaintextScanIT {

    private static final Logger log = LoggerFactory.getLogger(PlaintextScanIT.class);
    @TempDir
    static Path stateDir;
    private static LocalStack stack;
    private static Http http;
    private static ChatClients clients;

    @BeforeAll
    static void start() throws Exception {
        stack = new LocalStack("scan", stateDir);
        http = new Http(stack.port());
        clients = new ChatClients(stack::port);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void aPlainMessageIsFoundInTheDatabaseItsFilesAndTheTopicsAndANeedleNobodySentNowhere() throws Exception {
        String needle = "plain-needle-" + UUID.randomUUID();
        try (PlaintextScan scan = PlaintextScan.start(stack)) {
            JsonNode alice = http.newUser("scan_alice");
            JsonNode bob = http.newUser("scan_bob");
            Http.Response created = http.post("/v1/conversations", token(alice),
                    "{\"type\":\"direct\",\"userId\":\"" + userId(bob) + "\"}");
            assertEquals(201, created.status(), created.toString());
            String conversationId = created.body().path("conversationId").asText();
            try (WsClient aliceWs = clients.online(alice); WsClient bobWs = clients.online(bob)) {
                aliceWs.send(sendFrame(conversationId, "p1", needle));
                assertEquals(needle, message(bobWs, "p1").path("body").asText());
            }
            await().atMost(WAIT).until(() -> archived(bob, conversationId).contains(needle));

            List<Finding> found = scan.findings(needle);
            assertTrue(found.stream().anyMatch(f -> f.place() == Place.DATABASE && f.where().startsWith("public.messages ")
                    && f.form().equals("utf-8")), "the archive row: " + found);
            assertTrue(found.stream().anyMatch(f -> f.place() == Place.DATABASE_FILES && f.where().contains("pg_wal")),
                    "the archive's insert in the WAL: " + found);
            assertTrue(found.stream().anyMatch(f -> f.place() == Place.TOPIC
                    && f.where().startsWith(stack.topicPrefix() + "chat.messages-") && f.where().endsWith(" value")),
                    "the sequenced message: " + found);
            assertTrue(found.stream().anyMatch(f -> f.place() == Place.TOPIC
                    && f.where().startsWith(stack.topicPrefix() + "chat.inbound-")), "the send command: " + found);
            assertTrue(found.stream().anyMatch(f -> f.place() == Place.TOPIC
                    && f.where().startsWith(stack.processorApplicationId() + "-") && f.where().contains("-changelog-")),
                    "a state store's changelog: " + found);
            // What the services log about a message, even at DEBUG, does not include its body.
            assertEquals(List.of(), found.stream().filter(f -> f.place() == Place.LOG).toList());

            assertEquals(List.of(), scan.findings("never-sent-" + UUID.randomUUID()), "no false positive");
        }
    }

    @Test
    void debugLogsOfOurOwnLoggersAndTheMetricsScrapeAreSearchedWhileTheScanRuns() throws Exception {
        String logged = "logged-needle-" + UUID.randomUUID();
        String afterwards = "logged-after-the-scan-" + UUID.randomUUID();
        PlaintextScan scan = PlaintextScan.start(stack);
        try (scan) {
            log.debug("a debug line of an io.kchat logger: {}", logged);
            List<Finding> inLogs = scan.findings(logged, Place.LOG);
            assertEquals(1, inLogs.size(), inLogs.toString());
            assertTrue(inLogs.getFirst().where().endsWith(" DEBUG io.kchat.local.PlaintextScanIT"), inLogs.toString());
            assertTrue(inLogs.getFirst().excerpt().startsWith("a debug line of an io.kchat logger: "), inLogs.toString());
            assertFalse(scan.findings("jvm_memory_used_bytes", Place.METRICS).isEmpty(), "the scrape is read");
        }
        log.info("{}", afterwards);
        assertEquals(List.of(), scan.findings(afterwards, Place.LOG), "a closed scan records no more");
        assertFalse(log.isDebugEnabled(), "io.kchat is back at the level the configuration gave it");
        try (PlaintextScan next = PlaintextScan.start(stack)) {
            assertEquals(List.of(), next.findings(logged, Place.LOG), "each scan records from its own start");
        }
    }

    /** The bodies of the conversation's archived messages, as the history shows them. */
    private static List<String> archived(JsonNode login, String conversationId) throws Exception {
        Http.Response history = http.get("/v1/conversations/" + conversationId + "/messages", token(login));
        assertEquals(200, history.status(), history.toString());
        return StreamSupport.stream(history.body().path("messages").spliterator(), false)
                .map(m -> m.path("body").asText()).toList();
    }
}
