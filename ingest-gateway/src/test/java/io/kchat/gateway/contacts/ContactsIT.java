package io.kchat.gateway.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.events.ContactChanged;
import io.kchat.events.ContactEventKind;
import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationEventKind;
import io.kchat.events.InboundCommand;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestConversations;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import io.kchat.gateway.limits.RateLimit;
import io.kchat.gateway.relations.ConnectionRules;
import io.kchat.schemas.AvroSerde;
import io.kchat.schemas.OutboxEvents;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Contacts, connection requests, blocks and dmPolicy through the REST API, against the real broker and database:
 * the answers, the rows, the ContactChanged events on chat.user-inbound with their outbox copies, and the direct
 * conversation's snapshot on chat.inbound when a block is placed or lifted.
 */
class ContactsIT {

    private static final int REQUEST_BURST = 6;
    private static final AtomicInteger USERS = new AtomicInteger();
    private static RestApiFixture fixture;
    private static ApiClient client;

    @BeforeAll
    static void startFixture() {
        fixture = RestApiFixture.start("ContactsIT",
                ContactsConfig.defaults().withRequestRate(new RateLimit(0.001, REQUEST_BURST)));
        client = fixture.client;
    }

    @AfterAll
    static void stopFixture() {
        fixture.close();
    }

    @Test
    void aRequestIsPendingForBothThenAcceptedByItsRecipientOnly() {
        Login alice = user("alice");
        Login bob = user("bob");

        Answer sent = request(alice, bob, "\"message\":\"we met at the meetup\"");
        assertEquals(201, sent.status(), String.valueOf(sent.body()));
        JsonNode request = sent.body().path("request");
        String requestId = request.path("requestId").asText();
        assertEquals(alice.userId(), request.path("fromUserId").asText());
        assertEquals(bob.userId(), request.path("toUserId").asText());
        assertEquals("we met at the meetup", request.path("message").asText());
        assertEquals("pending", request.path("state").asText());
        assertFalse(request.path("ts").asText().isEmpty());

        assertEquals(List.of(requestId), requestIds(bob, "incoming"));
        assertEquals(List.of(requestId), requestIds(bob, null), "incoming is the default");
        assertEquals(List.of(), requestIds(bob, "outgoing"));
        assertEquals(List.of(requestId), requestIds(alice, "outgoing"));
        assertEquals(List.of(), requestIds(alice, "incoming"));

        assertProblem(request(alice, bob, null), 409, "conflict", ContactService.ALREADY_PENDING);
        assertProblem(client.post("/v1/contacts/requests/" + requestId + "/accept", "", alice.accessToken()),
                404, "not_found", null);
        assertProblem(client.post("/v1/contacts/requests/" + requestId + "/decline", "", user("eve").accessToken()),
                404, "not_found", null);
        assertProblem(client.post("/v1/contacts/requests/no-such-request/accept", "", bob.accessToken()),
                404, "not_found", null);

        Answer accepted = client.post("/v1/contacts/requests/" + requestId + "/accept", "", bob.accessToken());
        assertEquals(200, accepted.status(), String.valueOf(accepted.body()));
        JsonNode contact = accepted.body().path("contact");
        assertEquals(alice.userId(), contact.path("userId").asText());
        assertEquals(username(alice), contact.path("username").asText());
        assertFalse(contact.path("since").asText().isEmpty());

        assertEquals(List.of(bob.userId()), contactIds(alice));
        assertEquals(List.of(alice.userId()), contactIds(bob));
        assertEquals(List.of(), requestIds(bob, "incoming"));
        assertProblem(client.post("/v1/contacts/requests/" + requestId + "/accept", "", bob.accessToken()),
                404, "not_found", null);
        assertProblem(request(bob, alice, null), 409, "conflict", ContactService.ALREADY_CONTACTS);

        for (Login side : List.of(alice, bob)) {
            List<ContactChanged> events = contactEvents(side);
            assertEquals(List.of(ContactEventKind.REQUEST, ContactEventKind.ACCEPTED),
                    events.stream().map(ContactChanged::getKind).toList(), side.userId());
            assertEquals("pending", events.get(0).getRequest().getState());
            assertEquals("accepted", events.get(1).getRequest().getState());
            assertEquals(requestId, events.get(1).getRequest().getRequestId());
            String other = side == alice ? bob.userId() : alice.userId();
            assertEquals(other, events.get(1).getContact().getUserId(), "the other user, as this one sees them");
            assertEquals(outboxEventIds(side), events.stream().map(ContactChanged::getEventId).toList(),
                    "the same events, with the same ids, in the outbox");
        }
        assertNotEquals(contactEvents(alice).getFirst().getEventId(), contactEvents(bob).getFirst().getEventId(),
                "one id per user");
    }

    @Test
    void askingSomeoneWhoAskedYouAcceptsTheirRequest() {
        Login alice = user("alice");
        Login bob = user("bob");
        String theirs = request(alice, bob, null).body().path("request").path("requestId").asText();

        Answer mutual = request(bob, alice, "\"message\":\"yes!\"");

        assertEquals(200, mutual.status(), String.valueOf(mutual.body()));
        assertEquals(theirs, mutual.body().path("request").path("requestId").asText());
        assertEquals("accepted", mutual.body().path("request").path("state").asText());
        assertEquals(alice.userId(), mutual.body().path("request").path("fromUserId").asText());
        assertEquals(List.of(bob.userId()), contactIds(alice));
        assertEquals(List.of(alice.userId()), contactIds(bob));
        assertEquals(List.of(), requestIds(alice, "incoming"));
        assertEquals(List.of(), requestIds(alice, "outgoing"));
        assertEquals(List.of(ContactEventKind.REQUEST, ContactEventKind.ACCEPTED),
                contactEvents(bob).stream().map(ContactChanged::getKind).toList());
    }

    @Test
    void theRecipientDeclinesAndMayBeAskedAgainLater() {
        Login alice = user("alice");
        Login bob = user("bob");
        String requestId = request(alice, bob, null).body().path("request").path("requestId").asText();

        assertProblem(client.post("/v1/contacts/requests/" + requestId + "/decline", "", alice.accessToken()),
                404, "not_found", null);
        assertEquals(204, client.post("/v1/contacts/requests/" + requestId + "/decline", "", bob.accessToken())
                .status());
        assertProblem(client.post("/v1/contacts/requests/" + requestId + "/accept", "", bob.accessToken()),
                404, "not_found", null);

        assertEquals(List.of(), requestIds(bob, "incoming"));
        assertEquals(List.of(), requestIds(alice, "outgoing"));
        assertEquals(List.of(), contactIds(alice));
        List<ContactChanged> events = contactEvents(alice);
        assertEquals(List.of(ContactEventKind.REQUEST, ContactEventKind.DECLINED),
                events.stream().map(ContactChanged::getKind).toList());
        assertEquals("declined", events.get(1).getRequest().getState());
        assertEquals(201, request(alice, bob, null).status(), "a declined request does not stop a new one");
    }

    @Test
    void removingAContactEndsItOnBothSides() {
        Login alice = user("alice");
        Login bob = user("bob");
        connect(alice, bob);

        assertEquals(204, client.delete("/v1/contacts/" + bob.userId(), alice.accessToken()).status());

        assertEquals(List.of(), contactIds(alice));
        assertEquals(List.of(), contactIds(bob));
        assertProblem(client.delete("/v1/contacts/" + bob.userId(), alice.accessToken()), 404, "not_found", null);
        assertProblem(client.delete("/v1/contacts/" + alice.userId(), alice.accessToken()), 404, "not_found", null);
        for (Login side : List.of(alice, bob)) {
            ContactChanged removed = contactEvents(side).getLast();
            assertEquals(ContactEventKind.REMOVED, removed.getKind());
            assertNull(removed.getRequest());
            assertEquals(side == alice ? bob.userId() : alice.userId(), removed.getContact().getUserId());
            assertEquals(outboxEventIds(side).getLast(), removed.getEventId());
        }
    }

    @Test
    void requestsAreValidated() {
        Login alice = user("alice");
        Login bob = user("bob");

        assertProblem(request(alice, alice, null), 400, "bad_request", null);
        assertProblem(client.post("/v1/contacts/requests", "{\"userId\":\"ghost\"}", alice.accessToken()),
                404, "not_found", null);
        String tooLong = "x".repeat(RequestInput.MAX_MESSAGE_CHARS + 1);
        assertProblem(request(alice, bob, "\"message\":\"" + tooLong + "\""), 400, "bad_request", null);
        assertProblem(client.post("/v1/contacts/requests", "{\"userId\":42}", alice.accessToken()),
                400, "bad_request", null);
        assertProblem(client.post("/v1/contacts/requests", "{}", alice.accessToken()), 400, "bad_request", null);
        assertProblem(client.get("/v1/contacts/requests?direction=sideways", alice.accessToken()),
                400, "bad_request", null);
        assertProblem(client.get("/v1/contacts", null), 401, "unauthorized", null);
        assertEquals(List.of(), requestIds(bob, "incoming"), "nothing was stored");
    }

    @Test
    void requestCreationIsLimitedPerUser() {
        Login alice = user("alice");
        for (int i = 0; i < REQUEST_BURST; i++) {
            assertEquals(201, request(alice, user("target"), null).status());
        }
        Answer limited = request(alice, user("target"), null);
        assertProblem(limited, 429, "rate_limited", null);
        assertEquals(201, request(user("other"), alice, null).status(), "another user has a limit of their own");
    }

    @Test
    void aContactsOnlyUserCanBeMessagedByContactsOnly() {
        Login alice = user("alice");
        Login bob = user("bob");
        assertEquals("everyone", client.get("/v1/users/me", bob.accessToken()).text("dmPolicy"));
        assertProblem(client.patch("/v1/users/me", "{\"dmPolicy\":\"nobody\"}", bob.accessToken()),
                400, "bad_request", null);
        Answer changed = client.patch("/v1/users/me", "{\"dmPolicy\":\"contacts\"}", bob.accessToken());
        assertEquals(200, changed.status(), String.valueOf(changed.body()));
        assertEquals("contacts", changed.text("dmPolicy"));
        assertEquals("contacts", client.get("/v1/users/me", bob.accessToken()).text("dmPolicy"));
        assertTrue(client.get("/v1/users/" + bob.userId(), alice.accessToken()).body().path("dmPolicy").isMissingNode(),
                "others do not see it");

        assertProblem(direct(alice, bob), 403, "forbidden", ConnectionRules.CONNECTION_REQUIRED);
        assertEquals(201, direct(bob, alice).status(), "alice lets everyone in");

        Login carol = user("carol");
        connect(carol, bob);
        assertEquals(201, direct(carol, bob).status(), "a contact may start one");
    }

    @Test
    void aBlockRefusesRequestsConversationsAndGroupsTheSameWayEitherSide() {
        Login alice = user("alice");
        Login bob = user("bob");
        assertEquals(204, client.put("/v1/blocks/" + bob.userId(), "", alice.accessToken()).status());
        assertEquals(204, client.put("/v1/blocks/" + bob.userId(), "", alice.accessToken()).status(), "idempotent");
        assertEquals(List.of(bob.userId()), ids(client.get("/v1/blocks", alice.accessToken()).body()
                .path("blocks"), "userId"));
        assertFalse(client.get("/v1/blocks", alice.accessToken()).body().path("blocks").get(0).path("since")
                .asText().isEmpty());
        assertEquals(List.of(), ids(client.get("/v1/blocks", bob.accessToken()).body().path("blocks"), "userId"));

        Answer fromBlocked = request(bob, alice, null);
        Answer toGhost = client.post("/v1/contacts/requests", "{\"userId\":\"ghost\"}", bob.accessToken());
        assertProblem(fromBlocked, 404, "not_found", null);
        assertEquals(toGhost.body(), fromBlocked.body(), "a block looks like an unknown user");
        assertProblem(request(alice, bob, null), 409, "conflict", ContactService.BLOCKED);

        assertProblem(direct(bob, alice), 403, "forbidden", ConnectionRules.CONNECTION_REQUIRED);
        assertProblem(direct(alice, bob), 403, "forbidden", ConnectionRules.CONNECTION_REQUIRED);
        Login carol = user("carol");
        assertProblem(client.post("/v1/conversations", "{\"type\":\"group\",\"title\":\"g\",\"memberIds\":[\""
                + alice.userId() + "\",\"" + carol.userId() + "\"]}", bob.accessToken()),
                403, "forbidden", ConnectionRules.CONNECTION_REQUIRED);
        String bobsGroup = TestConversations.group(client, bob, "bobs", carol);
        assertProblem(client.post("/v1/conversations/" + bobsGroup + "/members",
                "{\"userId\":\"" + alice.userId() + "\"}", bob.accessToken()),
                403, "forbidden", ConnectionRules.CONNECTION_REQUIRED);
        String alicesGroup = TestConversations.group(client, alice, "alices", carol);
        assertProblem(client.post("/v1/conversations/" + alicesGroup + "/members",
                "{\"userId\":\"" + bob.userId() + "\"}", alice.accessToken()),
                403, "forbidden", ConnectionRules.CONNECTION_REQUIRED);

        assertProblem(client.put("/v1/blocks/" + alice.userId(), "", alice.accessToken()), 400, "bad_request", null);
        assertProblem(client.put("/v1/blocks/ghost", "", alice.accessToken()), 404, "not_found", null);
        assertProblem(client.delete("/v1/blocks/ghost", alice.accessToken()), 404, "not_found", null);

        assertEquals(204, client.delete("/v1/blocks/" + bob.userId(), alice.accessToken()).status());
        assertEquals(204, client.delete("/v1/blocks/" + bob.userId(), alice.accessToken()).status(), "idempotent");
        assertEquals(List.of(), ids(client.get("/v1/blocks", alice.accessToken()).body().path("blocks"), "userId"));
        assertEquals(201, request(bob, alice, null).status());
        assertEquals(201, direct(alice, bob).status());
    }

    @Test
    void aBlockEndsTheContactAndThePendingRequestsEitherWay() {
        Login alice = user("alice");
        Login bob = user("bob");
        Login dave = user("dave");
        Login erin = user("erin");
        connect(alice, bob);
        String fromDave = request(dave, alice, null).body().path("request").path("requestId").asText();
        String toErin = request(alice, erin, null).body().path("request").path("requestId").asText();

        for (Login blocked : List.of(bob, dave, erin)) {
            assertEquals(204, client.put("/v1/blocks/" + blocked.userId(), "", alice.accessToken()).status());
        }

        assertEquals(List.of(), contactIds(alice));
        assertEquals(List.of(), contactIds(bob));
        assertEquals(List.of(), requestIds(alice, "incoming"));
        assertEquals(List.of(), requestIds(alice, "outgoing"));
        assertEquals(List.of(), requestIds(erin, "incoming"));
        assertEquals(ContactEventKind.REMOVED, contactEvents(bob).getLast().getKind());
        assertEquals(alice.userId(), contactEvents(bob).getLast().getContact().getUserId());
        ContactChanged daves = contactEvents(dave).getLast();
        assertEquals(ContactEventKind.DECLINED, daves.getKind());
        assertEquals(fromDave, daves.getRequest().getRequestId());
        assertEquals(toErin, contactEvents(erin).getLast().getRequest().getRequestId());
        assertEquals(ContactEventKind.DECLINED, contactEvents(erin).getLast().getKind());
        for (Login side : List.of(alice, bob, dave, erin)) {
            assertEquals(outboxEventIds(side), contactEvents(side).stream().map(ContactChanged::getEventId).toList(),
                    "every event in the outbox too, same ids");
        }
        assertEquals(201, request(bob, user("frank"), null).status(), "bob's other requests are untouched");
    }

    @Test
    void theBlockersOwnDevicesAreToldOfABlockPlacedAndLiftedAndTheBlockedUserNever() {
        Login alice = user("alice");
        Login bob = user("bob");

        assertEquals(204, client.put("/v1/blocks/" + bob.userId(), "", alice.accessToken()).status());
        assertEquals(204, client.put("/v1/blocks/" + bob.userId(), "", alice.accessToken()).status());
        assertEquals(204, client.delete("/v1/blocks/" + bob.userId(), alice.accessToken()).status());

        List<ContactChanged> told = contactEvents(alice);
        assertEquals(List.of(ContactEventKind.BLOCKED, ContactEventKind.UNBLOCKED),
                told.stream().map(ContactChanged::getKind).toList(), "once each: placing it again changes nothing");
        assertEquals(bob.userId(), told.getFirst().getContact().getUserId());
        assertEquals(List.of(), contactEvents(bob), "the blocked user is never told");
        assertEquals(outboxEventIds(alice), told.stream().map(ContactChanged::getEventId).toList());
    }

    @Test
    void placingAndLiftingABlockReannouncesTheDirectConversation() {
        Login alice = user("alice");
        Login bob = user("bob");
        String directId = TestConversations.direct(client, alice, bob);
        assertEquals(List.of(false), blockedFlags(directId));

        assertEquals(204, client.put("/v1/blocks/" + bob.userId(), "", alice.accessToken()).status());
        ConversationChanged blocked = conversationChanges(directId).getLast();
        assertEquals(ConversationEventKind.UPDATED, blocked.getKind());
        assertEquals(2, blocked.getConversation().getVersion());
        assertTrue(blocked.getConversation().getBlocked());
        assertEquals(alice.userId(), blocked.getActorId());
        assertEquals(2, blocked.getConversation().getMembers().size());

        assertEquals(204, client.put("/v1/blocks/" + alice.userId(), "", bob.accessToken()).status());
        assertEquals(204, client.delete("/v1/blocks/" + bob.userId(), alice.accessToken()).status());
        ConversationChanged stillBlocked = conversationChanges(directId).getLast();
        assertEquals(4, stillBlocked.getConversation().getVersion());
        assertTrue(stillBlocked.getConversation().getBlocked(), "bob's block still separates them");

        assertEquals(204, client.delete("/v1/blocks/" + alice.userId(), bob.accessToken()).status());
        ConversationChanged lifted = conversationChanges(directId).getLast();
        assertEquals(5, lifted.getConversation().getVersion());
        assertFalse(lifted.getConversation().getBlocked());
        assertEquals(List.of(false, true, true, true, false), blockedFlagsFromOutbox(directId),
                "each committed version, in order");

        Answer again = direct(alice, bob);
        assertEquals(200, again.status(), "the existing one, announced again");
        ConversationChanged reannounced = conversationChanges(directId).getLast();
        assertEquals(5, reannounced.getConversation().getVersion());
        assertFalse(reannounced.getConversation().getBlocked());
    }

    @Test
    void aBlockFlagsBothThePlainAndTheEncryptedDirectConversationOfThePair() {
        Login alice = user("alice");
        Login bob = user("bob");
        String plainId = TestConversations.direct(client, alice, bob);
        Answer secret = client.post("/v1/conversations", "{\"type\":\"direct\",\"userId\":\"" + bob.userId()
                + "\",\"encrypted\":true}", alice.accessToken());
        assertEquals(201, secret.status(), String.valueOf(secret.body()));
        String secretId = secret.text("conversationId");

        assertEquals(204, client.put("/v1/blocks/" + alice.userId(), "", bob.accessToken()).status());

        assertEquals(List.of(false, true), blockedFlags(plainId));
        assertEquals(List.of(false, true), blockedFlags(secretId));
        assertTrue(conversationChanges(secretId).getLast().getConversation().getEncrypted());
    }

    private static Login user(String name) {
        return TestUsers.registerAndLogin(client, name + USERS.incrementAndGet());
    }

    private static String username(Login login) {
        return client.get("/v1/users/me", login.accessToken()).text("username");
    }

    private static Answer request(Login from, Login to, String extra) {
        return client.post("/v1/contacts/requests",
                "{\"userId\":\"" + to.userId() + "\"" + (extra == null ? "" : "," + extra) + "}", from.accessToken());
    }

    private static Answer direct(Login from, Login to) {
        return client.post("/v1/conversations", "{\"type\":\"direct\",\"userId\":\"" + to.userId() + "\"}",
                from.accessToken());
    }

    private static void connect(Login from, Login to) {
        assertEquals(201, request(from, to, null).status());
        assertEquals(200, request(to, from, null).status());
    }

    private static List<String> requestIds(Login login, String direction) {
        Answer answer = client.get("/v1/contacts/requests" + (direction == null ? "" : "?direction=" + direction),
                login.accessToken());
        assertEquals(200, answer.status(), String.valueOf(answer.body()));
        return ids(answer.body().path("requests"), "requestId");
    }

    private static List<String> contactIds(Login login) {
        Answer answer = client.get("/v1/contacts", login.accessToken());
        assertEquals(200, answer.status(), String.valueOf(answer.body()));
        return ids(answer.body().path("contacts"), "userId");
    }

    private static List<String> ids(JsonNode array, String field) {
        assertTrue(array.isArray(), String.valueOf(array));
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.path(field).asText()).toList();
    }

    /** The ContactChanged events published to the user, in order. */
    private static List<ContactChanged> contactEvents(Login login) {
        List<ContactChanged> events = new ArrayList<>();
        for (UserCommand command : fixture.published(fixture.userInboundTopic, login.userId())) {
            if (command.getCommand() instanceof UserEvent event && event.getPayload() instanceof ContactChanged c) {
                assertEquals(login.userId(), event.getUserId());
                events.add(c);
            }
        }
        return events;
    }

    /** The ids of the ContactChanged events in the user's outbox rows, in order. */
    private static List<String> outboxEventIds(Login login) {
        AvroSerde<UserCommand> serde = AvroSerde.of(UserCommand.class);
        return fixture.database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT payload FROM outbox WHERE aggregate_id = ? AND event_type = ? ORDER BY id")) {
                statement.setString(1, login.userId());
                statement.setString(2, OutboxEvents.USER_COMMAND);
                try (ResultSet rows = statement.executeQuery()) {
                    List<String> ids = new ArrayList<>();
                    while (rows.next()) {
                        UserEvent event = (UserEvent) serde.decode(rows.getBytes(1)).getCommand();
                        ids.add(((ContactChanged) event.getPayload()).getEventId());
                    }
                    return ids;
                }
            }
        });
    }

    private static List<ConversationChanged> conversationChanges(String conversationId) {
        return fixture.published(fixture.inboundTopic, conversationId).stream()
                .map(InboundCommand::getCommand)
                .filter(ConversationChanged.class::isInstance)
                .map(ConversationChanged.class::cast)
                .toList();
    }

    private static List<Boolean> blockedFlags(String conversationId) {
        return conversationChanges(conversationId).stream().map(c -> c.getConversation().getBlocked()).toList();
    }

    /** The blocked flag of every committed version, from the outbox (version order). */
    private static List<Boolean> blockedFlagsFromOutbox(String conversationId) {
        AvroSerde<InboundCommand> serde = AvroSerde.of(InboundCommand.class);
        return fixture.database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT payload FROM outbox WHERE aggregate_id = ? ORDER BY id")) {
                statement.setString(1, conversationId);
                try (ResultSet rows = statement.executeQuery()) {
                    List<Boolean> flags = new ArrayList<>();
                    while (rows.next()) {
                        ConversationChanged changed = (ConversationChanged) serde.decode(rows.getBytes(1)).getCommand();
                        flags.add(changed.getConversation().getBlocked());
                    }
                    return flags;
                }
            }
        });
    }

    private static void assertProblem(Answer answer, int status, String code, String reason) {
        assertEquals(status, answer.status(), String.valueOf(answer.body()));
        assertEquals(code, answer.text("code"), String.valueOf(answer.body()));
        assertEquals(reason, answer.text("reason"), String.valueOf(answer.body()));
    }
}
