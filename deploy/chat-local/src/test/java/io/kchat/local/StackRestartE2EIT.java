package io.kchat.local;

import static io.kchat.local.ChatClients.WAIT;
import static io.kchat.local.ChatClients.firstOfEachUserSeq;
import static io.kchat.local.ChatClients.message;
import static io.kchat.local.ChatClients.sendFrame;
import static io.kchat.local.ChatClients.token;
import static io.kchat.local.ChatClients.type;
import static io.kchat.local.ChatClients.userId;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A queue survives a restart of every service with the data kept (topics, database, Streams state dir). */
class StackRestartE2EIT {

    @TempDir
    Path stateDir;

    @Test
    void queuedMessagesAndSequencesSurviveARestartOfTheWholeStack() throws Exception {
        try (LocalStack stack = new LocalStack("restart", stateDir)) {
            Http http = new Http(stack.port());
            ChatClients clients = new ChatClients(stack::port);
            JsonNode alice = http.newUser("s_alice");
            JsonNode bob = http.newUser("s_bob");
            Http.Response created = http.post("/v1/conversations", token(alice),
                    "{\"type\":\"direct\",\"userId\":\"" + userId(bob) + "\"}");
            String conversationId = created.body().path("conversationId").asText();
            try (WsClient aliceWs = clients.online(alice)) {
                for (int i = 1; i <= 10; i++) {
                    aliceWs.send(sendFrame(conversationId, "s" + i, "before restart " + i));
                }
                message(aliceWs, "s10");
            }

            stack.restart();

            http = new Http(stack.port());
            try (WsClient aliceWs = clients.online(alice)) {
                aliceWs.send(sendFrame(conversationId, "s11", "after restart"));
                assertEquals(11, message(aliceWs, "s11").path("seq").asLong(), "seq continues after the restart");
            }
            try (WsClient bobWs = WsClient.connect(stack.port(), token(bob))) {
                List<JsonNode> untilSynced = bobWs.collectUntil(type("synced"), WAIT);
                List<Long> seqs = firstOfEachUserSeq(untilSynced).stream().filter(type("message"))
                        .map(m -> m.path("seq").asLong()).toList();
                assertEquals(LongStream.rangeClosed(1, 11).boxed().toList(), seqs, "nothing lost, nothing twice");
            }
            Http restarted = http;
            await().atMost(WAIT).until(() -> restarted.get("/v1/conversations/" + conversationId + "/messages",
                    token(bob)).body().path("messages").size() == 11);
        }
    }
}
