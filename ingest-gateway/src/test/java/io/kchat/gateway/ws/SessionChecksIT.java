package io.kchat.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ReplayFinished;
import io.kchat.events.ReplayStarted;
import io.kchat.events.SessionCheck;
import io.kchat.events.SessionOpened;
import io.kchat.events.UserCommand;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node's side of session routing on a real socket, broker and database: a session's directory row is written
 * before its SessionOpened (which names this process's incarnation), and a session the user side has not reached for
 * the check interval is checked with what it holds. The tests stand in for the user side through the egress topic.
 */
class SessionChecksIT {

    private static final Duration CHECK = Duration.ofSeconds(1);
    private static final String ROW_OF_USER_REAPED =
            "SELECT session_id, incarnation FROM sessions WHERE user_id = 'user-reaped'";

    private static WsServerFixture fixture;

    @BeforeAll
    static void start() {
        fixture = WsServerFixture.start("SessionChecksIT", config -> config, CHECK);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void theRowIsWrittenBeforeSessionOpenedWhichNamesTheIncarnation() {
        WsTestClient client = fixture.connect("token-row");
        SessionOpened opened = fixture.awaitUserCommand("user-row", SessionOpened.class);
        // published only once the row was committed: a reaper could find this session from the first moment
        assertEquals(List.of(opened.getSessionId() + " " + opened.getIncarnation()),
                rows("SELECT session_id, incarnation FROM sessions WHERE user_id = 'user-row'"));
        assertEquals(List.of(opened.getIncarnation()),
                rows("SELECT incarnation FROM nodes WHERE node_id = '" + opened.getNodeId() + "'"));
        client.closeNormally();
    }

    @Test
    void aSessionTheUserSideLeftAloneIsCheckedWithWhatItHolds() throws Exception {
        WsTestClient client = fixture.connect("token-idle");
        String sessionId = fixture.awaitUserCommand("user-idle", SessionOpened.class).getSessionId();
        fixture.toEgress("user-idle", sessionId, new ReplayStarted("dev-idle", 7L), new ReplayFinished(7L));
        assertEquals("ready", client.nextSummary());
        assertEquals("synced", client.nextSummary());

        SessionCheck check = fixture.awaitUserCommand("user-idle", SessionCheck.class);
        assertEquals(sessionId, check.getSessionId());
        assertEquals("dev-idle", check.getDeviceId());
        assertTrue(check.getSynced());
        assertEquals(7L, check.getReceivedUpTo(), "the device's cursor: it holds everything up to it");
        assertNotNull(check.getIncarnation());
        client.closeNormally();
    }

    @Test
    void aSessionWhoseReplayNeverCameIsCheckedAsNotSyncedOnceAnInterval() {
        WsTestClient client = fixture.connect("token-deaf");
        String sessionId = fixture.awaitUserCommand("user-deaf", SessionOpened.class).getSessionId();

        // the user's records share one partition: the second check is the one with the second offset
        TreeSet<Long> offsets = new TreeSet<>();
        List<SessionCheck> checks = fixture.readUntil(fixture.catalogue.userInbound(), r -> {
                    if (!isCheckOf(r, "user-deaf")) {
                        return false;
                    }
                    offsets.add(r.offset());
                    return offsets.size() >= 2 && r.offset() == offsets.higher(offsets.first());
                }).stream()
                .filter(r -> isCheckOf(r, "user-deaf"))
                .map(r -> (SessionCheck) r.value().getCommand()).toList();
        assertEquals(2, checks.size());
        for (SessionCheck check : checks) {
            assertEquals(sessionId, check.getSessionId());
            assertFalse(check.getSynced(), "no ReplayStarted arrived: the user side is to send the replay again");
        }
        Duration between = Duration.between(checks.get(0).getAt(), checks.get(1).getAt());
        assertTrue(between.compareTo(CHECK.minusMillis(100)) >= 0, "at most one check an interval: " + between);
        client.closeNormally();
    }

    @Test
    void aSocketWhoseRowWasReapedGetsItBackAndIsCheckedInsteadOfClosed() throws Exception {
        WsTestClient client = fixture.connect("token-reaped");
        SessionOpened opened = fixture.awaitUserCommand("user-reaped", SessionOpened.class);
        String row = opened.getSessionId() + " " + opened.getIncarnation();
        fixture.toEgress("user-reaped", opened.getSessionId(), new ReplayStarted("dev-reaped", 0L),
                new ReplayFinished(0L));
        assertEquals("ready", client.nextSummary());
        assertEquals("synced", client.nextSummary());

        // what the delivery-service's reaper does to a node it believes dead: the user side is told it closed
        fixture.database.withConnection(c -> c.createStatement()
                .executeUpdate("DELETE FROM sessions WHERE session_id = '" + opened.getSessionId() + "'"));
        Awaitility.await().atMost(WsTestClient.WAIT).until(() -> rows(ROW_OF_USER_REAPED).equals(List.of(row)));
        SessionCheck check = fixture.awaitUserCommand("user-reaped", SessionCheck.class);
        assertEquals(opened.getSessionId(), check.getSessionId());
        client.send("{\"type\":\"ping\",\"ref\":\"still\"}");
        assertEquals("pong", client.nextSummary(), "the socket stays open: the check re-opens it on the user side");
        client.closeNormally();
    }

    private static boolean isCheckOf(ConsumerRecord<String, UserCommand> record, String userId) {
        return record.key().equals(userId) && record.value().getCommand() instanceof SessionCheck;
    }

    private static List<String> rows(String sql) {
        return fixture.database.withConnection(connection -> {
            try (PreparedStatement query = connection.prepareStatement(sql);
                 ResultSet rows = query.executeQuery()) {
                List<String> values = new ArrayList<>();
                while (rows.next()) {
                    StringBuilder row = new StringBuilder(rows.getString(1));
                    for (int i = 2; i <= rows.getMetaData().getColumnCount(); i++) {
                        row.append(' ').append(rows.getString(i));
                    }
                    values.add(row.toString());
                }
                return values;
            }
        });
    }
}
