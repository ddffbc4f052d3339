package io.kchat.gateway.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationEventKind;
import io.kchat.events.InboundCommand;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.TestUsers.Login;
import io.kchat.schemas.AvroSerde;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The REST API end to end against the real PostgreSQL and Kafka. */
class RestApiIT {

    private static RestApiFixture fixture;
    private static ApiClient client;

    @BeforeAll
    static void start() {
        fixture = RestApiFixture.start("RestApiIT");
        client = fixture.client;
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void registerLoginRefreshAndProfiles() {
        Answer registered = client.post("/v1/auth/register",
                "{\"username\":\"Alice\",\"password\":\"" + TestUsers.PASSWORD + "\",\"displayName\":\"Alice L.\"}", null);
        assertEquals(201, registered.status());
        String aliceId = registered.text("userId");
        assertEquals("Alice", registered.text("username"));
        assertEquals("Alice L.", registered.text("displayName"));

        assertProblem(client.post("/v1/auth/register",
                "{\"username\":\"alice\",\"password\":\"" + TestUsers.PASSWORD + "\"}", null), 409, "conflict");
        assertProblem(client.post("/v1/auth/register", "{\"username\":\"alice2\",\"password\":\"short\"}", null),
                400, "bad_request");
        assertProblem(client.post("/v1/auth/register",
                "{\"username\":\"a b\",\"password\":\"" + TestUsers.PASSWORD + "\"}", null), 400, "bad_request");

        Answer login = client.post("/v1/auth/login",
                "{\"username\":\"ALICE\",\"password\":\"" + TestUsers.PASSWORD + "\"}", null);
        assertEquals(200, login.status());
        assertEquals(aliceId, login.text("userId"));
        assertEquals("Bearer", login.text("tokenType"));
        assertEquals(900, login.body().get("expiresIn").asInt());
        assertNotNull(login.text("deviceId"), "issued when the client sends none");
        String access = login.text("accessToken");

        Answer me = client.get("/v1/users/me", access);
        assertEquals(200, me.status());
        assertEquals(aliceId, me.text("userId"));
        assertEquals("Alice L.", me.text("displayName"));

        Answer renamed = client.patch("/v1/users/me", "{\"displayName\":\"  Alice Liddell \"}", access);
        assertEquals(200, renamed.status());
        assertEquals("Alice Liddell", renamed.text("displayName"));
        assertEquals("Alice", renamed.text("username"));

        String bobId = TestUsers.register(client, "bob");
        assertProblem(client.patch("/v1/users/me", "{\"username\":\"BOB\"}", access), 409, "conflict");
        Answer bob = client.get("/v1/users/" + bobId, access);
        assertEquals(200, bob.status());
        assertEquals(bobId, bob.text("userId"));
        assertEquals("bob", bob.text("username"));
        assertEquals("bob", bob.text("displayName"));
        assertProblem(client.get("/v1/users/no-such-user", access), 404, "not_found");

        Answer search = client.get("/v1/users?query=ali&limit=5", access);
        assertEquals(200, search.status());
        assertEquals(List.of(aliceId), ids(search.body().get("users"), "userId"));
        assertEquals(200, client.get("/v1/users?query=alice%20lid", access).status());
        assertProblem(client.get("/v1/users?query=a&limit=many", access), 400, "bad_request");
        assertProblem(client.get("/v1/users", access), 400, "bad_request");
    }

    @Test
    void loginFailuresLookTheSameForUnknownUsersAndWrongPasswords() {
        TestUsers.register(client, "carol");

        Answer wrongPassword = client.post("/v1/auth/login",
                "{\"username\":\"carol\",\"password\":\"not the password\"}", null);
        Answer unknownUser = client.post("/v1/auth/login",
                "{\"username\":\"nobody-here\",\"password\":\"not the password\"}", null);

        assertProblem(wrongPassword, 401, "unauthorized");
        assertEquals(wrongPassword.body(), unknownUser.body());
        assertProblem(client.post("/v1/auth/login", "{\"username\":\"carol\"}", null), 400, "bad_request");
    }

    @Test
    void refreshRotatesAndReuseRevokesTheWholeFamily() {
        TestUsers.register(client, "dave");
        Login login = TestUsers.login(client, "dave", "dave-phone");

        Answer first = refresh(login.refreshToken());
        assertEquals(200, first.status());
        String second = first.text("refreshToken");
        assertNotEquals(login.refreshToken(), second);
        assertEquals(200, client.get("/v1/users/me", first.text("accessToken")).status());

        assertProblem(refresh(login.refreshToken()), 401, "unauthorized");
        assertProblem(refresh(second), 401, "unauthorized");
        assertTrue(fixture.revoked.contains(new RestApiFixture.Revoked(login.userId(), "dave-phone")));
        assertProblem(client.get("/v1/users/me", first.text("accessToken")), 401, "unauthorized");

        assertProblem(refresh("not-a-token"), 401, "unauthorized");
        assertProblem(client.post("/v1/auth/refresh", "{}", null), 400, "bad_request");
    }

    @Test
    void directConversationIsOnePerPairWhoeverCreatesIt() throws Exception {
        Login erin = TestUsers.registerAndLogin(client, "erin");
        Login frank = TestUsers.registerAndLogin(client, "frank");

        Answer created = client.post("/v1/conversations",
                "{\"type\":\"direct\",\"userId\":\"" + frank.userId() + "\"}", erin.accessToken());
        assertEquals(201, created.status(), String.valueOf(created.body()));
        String conversationId = created.text("conversationId");
        assertEquals("direct", created.text("type"));
        assertEquals(List.of(erin.userId(), frank.userId()).stream().sorted().toList(),
                ids(created.body().get("members"), "userId").stream().sorted().toList());

        Answer again = client.post("/v1/conversations",
                "{\"type\":\"direct\",\"userId\":\"" + erin.userId() + "\"}", frank.accessToken());
        assertEquals(200, again.status());
        assertEquals(conversationId, again.text("conversationId"));

        assertProblem(client.post("/v1/conversations",
                "{\"type\":\"direct\",\"userId\":\"" + erin.userId() + "\"}", erin.accessToken()), 400, "bad_request");
        assertProblem(client.post("/v1/conversations",
                "{\"type\":\"direct\",\"userId\":\"ghost\"}", erin.accessToken()), 404, "not_found");

        List<InboundCommand> published = awaitCommands(conversationId, 2);
        assertEquals(List.of(ConversationEventKind.CREATED, ConversationEventKind.CREATED),
                published.stream().map(c -> ((ConversationChanged) c.getCommand()).getKind()).toList());
        assertEquals(List.of(outboxPayload(conversationId)), published.subList(0, 1),
                "the outbox holds exactly the command published first");
    }

    @Test
    void groupCreateListAndGet() throws Exception {
        Login gina = TestUsers.registerAndLogin(client, "gina");
        Login hank = TestUsers.registerAndLogin(client, "hank");
        Login ivan = TestUsers.registerAndLogin(client, "ivan");
        Login outsider = TestUsers.registerAndLogin(client, "judy");

        Answer group = client.post("/v1/conversations", "{\"type\":\"group\",\"title\":\" Team \",\"memberIds\":[\""
                + hank.userId() + "\",\"" + ivan.userId() + "\",\"" + gina.userId() + "\"]}", gina.accessToken());
        assertEquals(201, group.status(), String.valueOf(group.body()));
        String groupId = group.text("conversationId");
        assertEquals("group", group.text("type"));
        assertEquals("Team", group.text("title"));
        assertEquals(List.of("owner", "member", "member"), ids(group.body().get("members"), "role"));
        assertEquals(gina.userId(), group.body().get("members").get(0).get("userId").asText());
        assertEquals(0, group.body().get("lastSeq").asLong());
        assertEquals(0, group.body().get("unread").asLong());
        assertFalse(group.body().has("lastMessage"));

        Answer direct = client.post("/v1/conversations",
                "{\"type\":\"direct\",\"userId\":\"" + ivan.userId() + "\"}", hank.accessToken());
        assertEquals(201, direct.status());

        Answer list = client.get("/v1/conversations", hank.accessToken());
        assertEquals(200, list.status());
        assertEquals(List.of(direct.text("conversationId"), groupId),
                ids(list.body().get("conversations"), "conversationId"), "most recent activity first");

        assertEquals(groupId, client.get("/v1/conversations/" + groupId, ivan.accessToken()).text("conversationId"));
        assertProblem(client.get("/v1/conversations/" + groupId, outsider.accessToken()), 404, "not_found");
        assertProblem(client.get("/v1/conversations/no-such-id", gina.accessToken()), 404, "not_found");
        assertEquals(List.of(), ids(client.get("/v1/conversations", outsider.accessToken()).body().get("conversations"),
                "conversationId"));

        assertProblem(client.post("/v1/conversations", "{\"type\":\"group\",\"title\":\"x\",\"memberIds\":[\"ghost\"]}",
                gina.accessToken()), 404, "not_found");
        assertProblem(client.post("/v1/conversations", "{\"type\":\"group\",\"memberIds\":[]}", gina.accessToken()),
                400, "bad_request");
        assertProblem(client.post("/v1/conversations", "{\"type\":\"channel\"}", gina.accessToken()), 400, "bad_request");

        InboundCommand command = awaitCommands(groupId, 1).getFirst();
        assertEquals(outboxPayload(groupId), command);
        ConversationChanged changed = (ConversationChanged) command.getCommand();
        assertEquals(gina.userId(), changed.getActorId());
        assertEquals(3, changed.getConversation().getMembers().size());
        assertEquals(1L, changed.getConversation().getVersion());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "[]", "not json", "{\"username\":42,\"password\":\"12345678\"}", ""})
    void malformedBodiesAreBadRequestProblems(String body) {
        Answer answer = client.post("/v1/auth/register", body, null);

        assertProblem(answer, 400, "bad_request");
        assertNull(answer.body().get("stackTrace"));
    }

    @Test
    void everyErrorIsProblemJson() {
        Answer noToken = client.get("/v1/users/me", null);
        assertProblem(noToken, 401, "unauthorized");
        assertTrue(noToken.wwwAuthenticate().startsWith("Bearer"), noToken.wwwAuthenticate());
        assertProblem(client.get("/v1/users/me", "eyJhbGciOiJub25lIn0.e30."), 401, "unauthorized");
        assertProblem(client.get("/v1/nothing-here", null), 404, "not_found");
        assertProblem(client.post("/v1/auth/register", "{\"username\":\"" + "x".repeat(300_000) + "\"}", null),
                413, "too_large");
    }

    @Test
    void jwksPublishesTheSigningKey() {
        Answer jwks = client.get("/.well-known/jwks.json", null);

        assertEquals(200, jwks.status());
        JsonNode key = jwks.body().get("keys").get(0);
        assertEquals("OKP", key.get("kty").asText());
        assertEquals("Ed25519", key.get("crv").asText());
        assertEquals("EdDSA", key.get("alg").asText());
        assertEquals("sig", key.get("use").asText());
        assertEquals(fixture.dependencies.signingKeys().current().kid(), key.get("kid").asText());
        assertEquals(43, key.get("x").asText().length());
    }

    private static Answer refresh(String token) {
        return client.post("/v1/auth/refresh", "{\"refreshToken\":\"" + token + "\"}", null);
    }

    static void assertProblem(Answer answer, int status, String code) {
        assertEquals(status, answer.status(), String.valueOf(answer.body()));
        assertEquals("application/problem+json", answer.contentType());
        assertEquals(code, answer.text("code"));
        assertEquals(status, answer.body().get("status").asInt());
        assertNotNull(answer.text("title"));
        assertNotNull(answer.text("type"));
    }

    private static List<String> ids(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.get(field).asText()));
        return values;
    }

    private static InboundCommand outboxPayload(String conversationId) throws Exception {
        return fixture.database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT event_type, payload FROM outbox WHERE aggregate_id = ?")) {
                statement.setString(1, conversationId);
                try (ResultSet rows = statement.executeQuery()) {
                    assertTrue(rows.next(), "outbox row for " + conversationId);
                    assertEquals("InboundCommand", rows.getString(1));
                    InboundCommand command = AvroSerde.of(InboundCommand.class).decode(rows.getBytes(2));
                    assertFalse(rows.next(), "one outbox row per creation");
                    return command;
                }
            }
        });
    }

    /** The commands keyed by the conversation on the inbound topic, in partition order. */
    private static List<InboundCommand> awaitCommands(String conversationId, int count) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(fixture.inboundTopic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<InboundCommand> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().equals(conversationId)) {
                        found.add(AvroSerde.of(InboundCommand.class).decode(record.value()));
                    }
                }
                return found.size() >= count;
            });
            return found;
        }
    }
}
