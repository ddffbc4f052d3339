package io.kchat.gateway.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.kchat.events.InboundCommand;
import io.kchat.events.SendMessage;
import io.kchat.gateway.conversations.ConversationConfig;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** POST /v1/conversations/{id}/messages: validated like the WebSocket send, 202 once on chat.inbound. */
class HttpSendIT {

    private static final int MAX_BODY_CHARS = 10;
    private static RestApiFixture fixture;
    private static ApiClient client;
    private static Login sender;
    private static Login other;
    private static String conversationId;

    @BeforeAll
    static void start() {
        fixture = RestApiFixture.start("HttpSendIT", ConversationConfig.defaults().withMaxMessageChars(MAX_BODY_CHARS));
        client = fixture.client;
        TestUsers.register(client, "sender");
        sender = TestUsers.login(client, "sender", "sender-laptop");
        other = TestUsers.registerAndLogin(client, "other");
        Answer created = client.post("/v1/conversations", "{\"type\":\"group\",\"title\":\"t\",\"memberIds\":[\""
                + other.userId() + "\"]}", sender.accessToken());
        assertEquals(201, created.status());
        conversationId = created.text("conversationId");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void aSendIsAcceptedOnceTheCommandIsOnTheInboundTopicWithTheTokensDevice() {
        Answer answer = send(sender, conversationId, "{\"id\":\"msg-1\",\"body\":\"0123456789\"}");

        assertEquals(202, answer.status(), String.valueOf(answer.body()));
        assertEquals("msg-1", answer.text("id"));
        assertEquals(List.of(new SendMessage("msg-1", sender.userId(), "sender-laptop", "0123456789", null, null, List.of(), false)),
                sends().stream().filter(s -> s.getClientId().equals("msg-1")).toList());
    }

    @Test
    void nonMembersGet404AndNothingIsPublished() {
        Login outsider = TestUsers.registerAndLogin(client, "outsider");
        int before = sends().size();

        assertProblem(send(outsider, conversationId, "{\"id\":\"x\",\"body\":\"hi\"}"), 404, "not_found");
        assertProblem(send(sender, "no-such-conversation", "{\"id\":\"x\",\"body\":\"hi\"}"), 404, "not_found");
        assertEquals(before, sends().size());
    }

    @Test
    void aRemovedMemberCannotSendAnyMore() {
        Login leaver = TestUsers.registerAndLogin(client, "leaver");
        assertEquals(204, client.post("/v1/conversations/" + conversationId + "/members",
                "{\"userId\":\"" + leaver.userId() + "\"}", sender.accessToken()).status());
        assertEquals(202, send(leaver, conversationId, "{\"id\":\"before-leaving\",\"body\":\"bye\"}").status());
        assertEquals(204, client.delete("/v1/conversations/" + conversationId + "/members/" + leaver.userId(),
                leaver.accessToken()).status());

        assertProblem(send(leaver, conversationId, "{\"id\":\"after-leaving\",\"body\":\"hello?\"}"), 404, "not_found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"id\":\"x\"}", "{\"body\":\"x\"}", "{\"id\":\"\",\"body\":\"x\"}",
            "{\"id\":\"x\",\"body\":\"\"}", "{\"id\":5,\"body\":\"x\"}", "{\"id\":\"x\",\"body\":[\"x\"]}",
            "{\"id\":\"x\",\"body\":\"01234567890\"}", "not json"})
    void badBodiesAre400(String body) {
        int before = sends().size();

        assertProblem(send(sender, conversationId, body), 400, "bad_request");
        assertEquals(before, sends().size());
    }

    @Test
    void anOverlongIdIs400() {
        String id = "i".repeat(MessageLimits.MAX_ID_CHARS + 1);

        Answer answer = send(sender, conversationId, "{\"id\":\"" + id + "\",\"body\":\"x\"}");

        assertProblem(answer, 400, "bad_request");
        assertNotNull(answer.text("detail"));
    }

    private static List<SendMessage> sends() {
        return fixture.published(fixture.inboundTopic, conversationId).stream()
                .map(InboundCommand::getCommand)
                .filter(SendMessage.class::isInstance)
                .map(c -> assertInstanceOf(SendMessage.class, c))
                .toList();
    }

    private static Answer send(Login login, String conversation, String body) {
        return client.post("/v1/conversations/" + conversation + "/messages", body, login.accessToken());
    }

    private static void assertProblem(Answer answer, int status, String code) {
        assertEquals(status, answer.status(), String.valueOf(answer.body()));
        assertEquals("application/problem+json", answer.contentType());
        assertEquals(code, answer.text("code"));
    }
}
