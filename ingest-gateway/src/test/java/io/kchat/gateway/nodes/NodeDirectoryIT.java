package io.kchat.gateway.nodes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.db.Database;
import io.kchat.gateway.db.Timestamps;
import io.kchat.infra.SharedInfrastructure;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The node directory on a real PostgreSQL: heartbeats on the database clock, session rows, retries, graceful stop. */
class NodeDirectoryIT {

    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant OPENED = Instant.parse("2030-01-02T03:04:05.678Z");

    private static Database database;
    private final List<String> restored = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        var postgres = SharedInfrastructure.postgres();
        database = Database.start(SharedInfrastructure.freshDatabase("NodeDirectoryIT"), postgres.user(),
                postgres.password(), 4);
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @Test
    void theNodeRowIsWrittenAtStartAndBeatsOnTheDatabaseClock() throws Exception {
        try (NodeDirectory directory = start("n-beat", "inc-1")) {
            assertEquals(List.of("inc-1"), column("SELECT incarnation FROM nodes WHERE node_id = 'n-beat'"));
            Instant first = heartbeat("n-beat");
            await().atMost(WAIT).until(() -> heartbeat("n-beat").isAfter(first));
            Instant databaseNow = database.withConnection(c -> {
                try (ResultSet rows = c.createStatement().executeQuery("SELECT now() AS now")) {
                    rows.next();
                    return Timestamps.get(rows, "now");
                }
            });
            assertTrue(Duration.between(heartbeat("n-beat"), databaseNow).abs().compareTo(Duration.ofSeconds(2)) < 0);
        }
    }

    @Test
    void aRestartedNodeTakesItsRowOverWithItsNewIncarnation() throws Exception {
        start("n-restart", "inc-old").close();
        try (NodeDirectory directory = start("n-restart", "inc-new")) {
            assertEquals(List.of("inc-new"), column("SELECT incarnation FROM nodes WHERE node_id = 'n-restart'"));
        }
    }

    @Test
    void sessionRowsFollowOpenAndClose() throws Exception {
        try (NodeDirectory directory = start("n-rows", "inc-1")) {
            CompletableFuture<Void> first = directory.opened("s-1", "u-1", "d-1", OPENED);
            directory.opened("s-2", "u-2", "d-2", OPENED).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            // the futures complete once the rows are committed: the listener publishes SessionOpened only then
            assertEquals(2, sessions("n-rows").size());
            assertEquals(List.of("s-1 u-1 d-1 n-rows inc-1 " + OPENED, "s-2 u-2 d-2 n-rows inc-1 " + OPENED),
                    sessions("n-rows"));

            directory.closed("s-1");
            await().atMost(WAIT).until(() -> sessions("n-rows").size() == 1);
            assertTrue(sessions("n-rows").getFirst().startsWith("s-2 "));

            CompletableFuture<Void> third = directory.opened("s-3", "u-3", "d-3", OPENED);
            directory.closed("s-3"); // before its row was written, or just after: either way it ends gone
            await().atMost(WAIT).until(third::isDone);
            directory.closed("s-2");
            await().atMost(WAIT).until(() -> sessions("n-rows").isEmpty());
            Thread.sleep(HEARTBEAT.toMillis() * 3);
            assertEquals(List.of(), sessions("n-rows"));
        }
    }

    @Test
    void writesThatFailAreRetriedAtTheNextBeat() throws Exception {
        try (NodeDirectory directory = start("n-retry", "inc-1")) {
            execute("ALTER TABLE sessions RENAME TO sessions_away");
            CompletableFuture<Void> row;
            try {
                row = directory.opened("s-r", "u-r", "d-r", OPENED);
                Thread.sleep(HEARTBEAT.toMillis() * 3);
                assertEquals(List.of(), column("SELECT session_id FROM sessions_away WHERE node_id = 'n-retry'"));
                assertFalse(row.isDone(), "the row is not written yet, so the session must not be announced");
            } finally {
                execute("ALTER TABLE sessions_away RENAME TO sessions");
            }
            row.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(1, sessions("n-retry").size());
            Instant beat = heartbeat("n-retry");
            await().atMost(WAIT).until(() -> heartbeat("n-retry").isAfter(beat));
        }
        assertEquals(List.of(), restored);
    }

    @Test
    void anOpenSessionWhoseRowWasReapedIsWrittenAgainAndReported() throws Exception {
        try (NodeDirectory directory = start("n-lost", "inc-1")) {
            directory.opened("s-kept", "u-1", "d-1", OPENED);
            directory.opened("s-reaped", "u-2", "d-2", OPENED);
            directory.opened("s-closing", "u-3", "d-3", OPENED).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            await().atMost(WAIT).until(() -> sessions("n-lost").size() == 3);

            // the reaper took two rows: one of a socket still open, one whose SessionClosed is on its way
            execute("DELETE FROM sessions WHERE session_id IN ('s-reaped', 's-closing')");
            directory.closed("s-closing");
            // written again once, and only the socket still open: through several beats
            await().atMost(WAIT).until(() -> !restored.isEmpty());
            await().during(HEARTBEAT.multipliedBy(3)).atMost(WAIT).until(() -> restored.equals(List.of("s-reaped")));
            assertEquals(List.of("s-kept u-1 d-1 n-lost inc-1 " + OPENED, "s-reaped u-2 d-2 n-lost inc-1 " + OPENED),
                    sessions("n-lost"));
        }
    }

    @Test
    void aSessionOpenedWhileTheNodeStopsIsRefused() throws Exception {
        NodeDirectory directory = start("n-stopped", "inc-1");
        directory.close();
        CompletableFuture<Void> row = directory.opened("s-late", "u-1", "d-1", OPENED);
        assertTrue(row.isCompletedExceptionally(), "a stopping node writes no row, so the session must not open");
    }

    @Test
    void closeRemovesTheNodeAndItsClosedSessionsAndLeavesTheRestToTheReaper() throws Exception {
        execute("INSERT INTO sessions VALUES ('s-crashed', 'u-0', 'd-0', 'n-close', 'inc-crashed', now())");
        NodeDirectory directory = start("n-close", "inc-1");
        directory.opened("s-open", "u-1", "d-1", OPENED);
        directory.opened("s-closed", "u-3", "d-3", OPENED);
        await().atMost(WAIT).until(() -> sessions("n-close").size() == 3);

        directory.closed("s-closed"); // its SessionClosed was published just before the stop: written on the way out
        directory.close();
        assertEquals(List.of(), column("SELECT node_id FROM nodes WHERE node_id = 'n-close'"));
        // s-open was never said closed (a socket cut by the drain): the reaper publishes its SessionClosed
        assertEquals(List.of("s-crashed", "s-open"),
                column("SELECT session_id FROM sessions WHERE node_id = 'n-close' ORDER BY session_id"));
        directory.opened("s-late", "u-2", "d-2", OPENED); // a socket ending after the stop writes nothing
        Thread.sleep(HEARTBEAT.toMillis() * 3); // letting beats pass: nothing may be written after the stop
        assertEquals(List.of("s-crashed", "s-open"),
                column("SELECT session_id FROM sessions WHERE node_id = 'n-close' ORDER BY session_id"));
    }

    private NodeDirectory start(String nodeId, String incarnation) {
        return NodeDirectory.start(database, nodeId, incarnation, HEARTBEAT, restored::add);
    }

    private static Instant heartbeat(String nodeId) {
        return database.withConnection(c -> {
            try (PreparedStatement statement = c.prepareStatement("SELECT heartbeat_at FROM nodes WHERE node_id = ?")) {
                statement.setString(1, nodeId);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return Timestamps.get(rows, "heartbeat_at");
                }
            }
        });
    }

    private static List<String> sessions(String nodeId) {
        return database.withConnection(c -> {
            try (PreparedStatement statement = c.prepareStatement("""
                    SELECT session_id, user_id, device_id, node_id, incarnation, opened_at
                    FROM sessions WHERE node_id = ? ORDER BY session_id""")) {
                statement.setString(1, nodeId);
                List<String> rows = new ArrayList<>();
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        rows.add(String.join(" ", result.getString(1), result.getString(2), result.getString(3),
                                result.getString(4), result.getString(5), Timestamps.get(result, "opened_at").toString()));
                    }
                }
                return rows;
            }
        });
    }

    private static List<String> column(String sql) {
        return database.withConnection(c -> {
            List<String> values = new ArrayList<>();
            try (ResultSet rows = c.createStatement().executeQuery(sql)) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        });
    }

    private static void execute(String sql) {
        database.withConnection(c -> c.createStatement().executeUpdate(sql));
    }
}
