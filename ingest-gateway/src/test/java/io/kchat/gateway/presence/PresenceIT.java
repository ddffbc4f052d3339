package io.kchat.gateway.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.ReadModelRows;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestConversations;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Presence and online counts from the sessions and presence tables. */
class PresenceIT {

    private static RestApiFixture fixture;
    private static ApiClient client;
    private static ReadModelRows rows;

    @BeforeAll
    static void start() {
        fixture = RestApiFixture.start("PresenceIT");
        client = fixture.client;
        rows = new ReadModelRows(fixture.database);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void presenceIsVisibleToOneselfAndToPeopleSharingAConversationOnly() {
        Login ann = TestUsers.registerAndLogin(client, "ann");
        Login ben = TestUsers.registerAndLogin(client, "ben");
        Login stranger = TestUsers.registerAndLogin(client, "stranger");
        String group = TestConversations.group(client, ann, "pair", ben);

        assertEquals(200, presence(ann, ben).status());
        assertEquals(200, presence(ben, ann).status());
        assertEquals(200, presence(stranger, stranger).status());
        Answer hidden = presence(ann, stranger);
        assertEquals(404, hidden.status());
        assertEquals("not_found", hidden.text("code"));
        assertEquals(hidden.body(), client.get("/v1/users/no-such-user/presence", ann.accessToken()).body(),
                "a hidden user looks like an unknown one");

        assertEquals(204, client.delete("/v1/conversations/" + group + "/members/" + ben.userId(),
                ben.accessToken()).status());
        assertEquals(404, presence(ann, ben).status(), "after leaving, nothing is shared any more");
        assertEquals(401, client.get("/v1/users/" + ann.userId() + "/presence", null).status());
    }

    @Test
    void aBlockEitherWayHidesPresenceLikeAStrangersAndUnblockingShowsItAgain() {
        Login gil = TestUsers.registerAndLogin(client, "gil");
        Login hal = TestUsers.registerAndLogin(client, "hal");
        TestConversations.group(client, gil, "shared", hal);
        assertEquals(200, presence(gil, hal).status());

        rows.update("INSERT INTO blocks (blocker_id, blocked_id, since) VALUES (?, ?, now())", hal.userId(), gil.userId());
        assertEquals(404, presence(gil, hal).status(), "hal blocked gil: gil no longer sees hal");
        assertEquals(404, presence(hal, gil).status(), "nor hal gil");
        assertEquals(200, presence(hal, hal).status());

        rows.update("DELETE FROM blocks WHERE blocker_id = ?", hal.userId());
        assertEquals(200, presence(gil, hal).status());
    }

    @Test
    void onlineMeansAnOpenSessionAndLastSeenComesFromThePresenceProjection() {
        Login cat = TestUsers.registerAndLogin(client, "cat");
        Login dan = TestUsers.registerAndLogin(client, "dan");
        TestConversations.direct(client, cat, dan);

        Answer never = presence(cat, dan);
        assertEquals(dan.userId(), never.text("userId"));
        assertFalse(never.body().get("online").asBoolean());
        assertTrue(never.body().has("lastSeen") && never.body().get("lastSeen").isNull(), "null when never seen");

        Instant seen = Instant.parse("2026-02-03T04:05:06.789Z");
        rows.presence(dan.userId(), false, seen);
        Answer offline = presence(cat, dan);
        assertFalse(offline.body().get("online").asBoolean());
        assertEquals(seen, Instant.parse(offline.text("lastSeen")));

        rows.session("dan-session", dan.userId(), "dan-phone");
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Answer online = presence(cat, dan);
        Instant after = Instant.now();
        assertTrue(online.body().get("online").asBoolean());
        Instant lastSeen = Instant.parse(online.text("lastSeen"));
        assertFalse(lastSeen.isBefore(before) || lastSeen.isAfter(after), "online: seen now, " + lastSeen);
    }

    @Test
    void statsCountDistinctUsersAndTheirConnections() {
        Login eve = TestUsers.registerAndLogin(client, "eve");
        Login fay = TestUsers.registerAndLogin(client, "fay");
        Answer before = client.get("/v1/stats/online", eve.accessToken());
        assertEquals(200, before.status());

        rows.session("eve-1", eve.userId(), "eve-phone");
        rows.session("eve-2", eve.userId(), "eve-laptop");
        rows.session("fay-1", fay.userId(), "fay-phone");
        Answer after = client.get("/v1/stats/online", eve.accessToken());

        assertEquals(2, after.body().get("users").asLong() - before.body().get("users").asLong());
        assertEquals(3, after.body().get("connections").asLong() - before.body().get("connections").asLong());
        assertEquals(401, client.get("/v1/stats/online", null).status());
    }

    private static Answer presence(Login caller, Login subject) {
        return client.get("/v1/users/" + subject.userId() + "/presence", caller.accessToken());
    }
}
