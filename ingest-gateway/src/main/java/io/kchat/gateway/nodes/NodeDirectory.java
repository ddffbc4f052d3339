package io.kchat.gateway.nodes;

import io.kchat.gateway.db.Database;
import io.kchat.gateway.ws.SessionDirectory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node in the directory the other services read ({@code nodes} and {@code sessions}, V2), so that a dead
 * gateway does not leave its users online (guarantee 8): the delivery-service reaps the sessions of a node
 * whose heartbeat is too old or whose incarnation changed, and publishes SessionClosed for them.
 *
 * <ul>
 *   <li>The node row carries this process's incarnation and beats every {@code heartbeat} on the database
 *       clock ({@code now()}), so that one clock judges every node.</li>
 *   <li>A session's row comes before the user side hears of it: {@link #opened} completes once the row is
 *       committed, and only then is SessionOpened published. So every session the user side may route to has a
 *       row the reaper can find if this process dies; a row whose SessionOpened never followed only makes the
 *       reaper publish a SessionClosed that changes nothing. The row is deleted once SessionClosed was published.</li>
 *   <li>One thread does all the database work, in order: the beats, and the session changes batched as they
 *       come. A failure is logged and the work kept for the next beat (an opening socket waits for its row, and
 *       gives up after a while: see the listener).</li>
 *   <li>A session whose row vanished while it was open was reaped (its node looked dead: an outage between this
 *       node and the database longer than the expiry): the user side was told it closed and routes nothing to it
 *       any more. The row is written again and the session goes to {@code onRestored}, which has it checked: the
 *       user side then re-opens it and re-sends what it missed, without the client reconnecting.</li>
 *   <li>{@link #close()} writes what is pending and deletes the node row; the rows of sessions still open,
 *       and of earlier incarnations, are the reaper's: it publishes their SessionClosed.</li>
 * </ul>
 */
public final class NodeDirectory implements SessionDirectory, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeDirectory.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_BATCH = 500;

    private sealed interface Change {
    }

    /** @param written completed once the row is committed; failed when a Delete replaced it first */
    private record Insert(SessionRow row, CompletableFuture<Void> written) implements Change {
    }

    private record Delete() implements Change {
    }

    private final Database database;
    private final NodeStore store;
    private final String nodeId;
    private final long heartbeatNanos;
    private final Consumer<String> onRestored;
    private final Thread worker;
    private final Object lock = new Object();
    /** By session id, the latest change winning; guarded by lock. */
    private final Map<String, Change> changes = new LinkedHashMap<>();
    private boolean running = true;
    /** Session rows known to exist, by session id; touched by the worker thread only. */
    private final Map<String, SessionRow> written = new HashMap<>();

    private NodeDirectory(Database database, String nodeId, String incarnation, Duration heartbeat,
                          Consumer<String> onRestored) {
        this.database = database;
        this.store = new NodeStore(nodeId, incarnation);
        this.nodeId = nodeId;
        this.heartbeatNanos = heartbeat.toNanos();
        this.onRestored = onRestored;
        this.worker = Thread.ofPlatform().name("node-directory-" + nodeId).daemon().unstarted(this::run);
    }

    /**
     * Writes the node row (once, before returning, unless the database fails: then at the next beat) and
     * starts beating.
     *
     * @param incarnation fresh per process, e.g. a random UUID: tells this run's sessions from an earlier one's
     * @param onRestored  called with the id of an open session whose row was reaped and has been written again
     */
    public static NodeDirectory start(Database database, String nodeId, String incarnation, Duration heartbeat,
                                      Consumer<String> onRestored) {
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat must be positive");
        }
        NodeDirectory directory = new NodeDirectory(database, nodeId, incarnation, heartbeat, onRestored);
        directory.beat();
        directory.worker.start();
        log.info("node {} registered as incarnation {}, beating every {}", nodeId, incarnation, heartbeat);
        return directory;
    }

    @Override
    public CompletableFuture<Void> opened(String sessionId, String userId, String deviceId, Instant openedAt) {
        CompletableFuture<Void> row = new CompletableFuture<>();
        if (!submit(sessionId, new Insert(new SessionRow(sessionId, userId, deviceId, openedAt), row))) {
            row.completeExceptionally(new IllegalStateException("node " + nodeId + " is stopping"));
        }
        return row;
    }

    @Override
    public String incarnation() {
        return store.incarnation();
    }

    @Override
    public void closed(String sessionId) {
        submit(sessionId, new Delete());
    }

    /**
     * Stops beating, writes the session changes still pending (the rows of sessions whose SessionClosed was
     * published go), then deletes the node row. The rows of sessions not known closed (a socket cut by the
     * drain, a SessionClosed that failed) stay: with the node row gone, the reaper publishes their SessionClosed
     * at its next pass. A drained node leaves no row, so its users stop counting as online at once.
     */
    @Override
    public void close() throws InterruptedException {
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
        if (!worker.join(STOP_TIMEOUT)) {
            log.warn("node directory of {} did not stop within {}", nodeId, STOP_TIMEOUT);
        }
        Map<String, Change> pending;
        synchronized (lock) {
            pending = new LinkedHashMap<>(changes);
            changes.clear();
        }
        try {
            database.inTransaction(connection -> {
                write(connection, pending);
                store.removeNode(connection);
                return null;
            });
            pending.values().forEach(change -> {
                if (change instanceof Insert insert) {
                    insert.written().complete(null);
                }
            });
            log.info("node {} removed from the directory ({} pending session changes written, {} session rows "
                    + "left to the reaper)", nodeId, pending.size(), stillOpen(pending));
        } catch (RuntimeException e) {
            log.warn("cannot remove node {} from the directory: it is reaped once its heartbeat is old", nodeId, e);
        }
    }

    /** Rows written, or about to be, of sessions not known closed. */
    private long stillOpen(Map<String, Change> written) {
        Set<String> open = new HashSet<>(this.written.keySet());
        written.forEach((sessionId, change) -> {
            switch (change) {
                case Insert insert -> open.add(sessionId);
                case Delete delete -> open.remove(sessionId);
            }
        });
        return open.size();
    }

    private boolean submit(String sessionId, Change change) {
        Change replaced;
        synchronized (lock) {
            if (!running) {
                return false;
            }
            replaced = changes.put(sessionId, change);
            lock.notifyAll();
        }
        if (replaced instanceof Insert insert) {
            insert.written().completeExceptionally(new IllegalStateException("closed before its row was written"));
        }
        return true;
    }

    private void run() {
        long nextBeat = System.nanoTime() + heartbeatNanos;
        boolean waitForBeat = false; // the last write failed: retry at the next beat, not in a loop
        try {
            while (true) {
                synchronized (lock) {
                    long untilBeat = nextBeat - System.nanoTime();
                    while (running && (waitForBeat || changes.isEmpty()) && untilBeat > 0) {
                        TimeUnit.NANOSECONDS.timedWait(lock, untilBeat);
                        untilBeat = nextBeat - System.nanoTime();
                    }
                    if (!running) {
                        return;
                    }
                }
                if (System.nanoTime() - nextBeat >= 0) {
                    nextBeat = System.nanoTime() + heartbeatNanos;
                    beat();
                    waitForBeat = false;
                }
                if (!waitForBeat) {
                    waitForBeat = !writeChanges();
                }
            }
        } catch (InterruptedException e) {
            log.warn("node directory of {} interrupted: no more heartbeats", nodeId);
        } catch (RuntimeException e) {
            log.error("node directory of {} failed: no more heartbeats", nodeId, e);
        }
    }

    private void beat() {
        try {
            database.withConnection(connection -> {
                store.beat(connection);
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("heartbeat of node {} failed, retried in {} ms", nodeId,
                    TimeUnit.NANOSECONDS.toMillis(heartbeatNanos), e);
            return;
        }
        List<SessionRow> restored;
        try {
            restored = database.inTransaction(connection -> {
                // rows go only through this thread or the reaper: fewer rows than written means reaped ones
                if (store.countSessions(connection) >= written.size()) {
                    return List.<SessionRow>of();
                }
                Set<String> present = store.sessionIds(connection);
                List<SessionRow> lost = written.values().stream()
                        .filter(row -> !present.contains(row.sessionId()) && !pendingFor(row.sessionId()))
                        .toList();
                store.insertSessions(connection, lost);
                return lost;
            });
        } catch (RuntimeException e) {
            log.warn("cannot check the session rows of node {}", nodeId, e);
            return;
        }
        for (SessionRow row : restored) {
            log.warn("session {} was reaped while open (this node's heartbeat looked dead): row written again, "
                    + "the session is checked", row.sessionId());
            try {
                onRestored.accept(row.sessionId());
            } catch (RuntimeException e) {
                log.warn("cannot check restored session {}", row.sessionId(), e);
            }
        }
    }

    /** A change waits for the session: a Delete must not be undone, an Insert writes the row anyway. */
    private boolean pendingFor(String sessionId) {
        synchronized (lock) {
            return changes.containsKey(sessionId);
        }
    }

    /** Returns false when the database failed (the changes stay for the next beat). */
    private boolean writeChanges() {
        Map<String, Change> batch = new LinkedHashMap<>();
        synchronized (lock) {
            for (Map.Entry<String, Change> change : changes.entrySet()) {
                if (batch.size() == MAX_BATCH) {
                    break;
                }
                batch.put(change.getKey(), change.getValue());
            }
        }
        if (batch.isEmpty()) {
            return true;
        }
        try {
            database.inTransaction(connection -> {
                write(connection, batch);
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("cannot write {} session rows of node {}, retried at the next beat", batch.size(), nodeId, e);
            return false;
        }
        synchronized (lock) {
            // a change that came meanwhile for the same session stays for the next round
            batch.forEach((sessionId, change) -> changes.remove(sessionId, change));
        }
        batch.forEach((sessionId, change) -> {
            switch (change) {
                case Insert insert -> {
                    written.put(sessionId, insert.row());
                    insert.written().complete(null);
                }
                case Delete delete -> written.remove(sessionId);
            }
        });
        return true;
    }

    private void write(Connection connection, Map<String, Change> batch) throws SQLException {
        List<SessionRow> inserts = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        batch.forEach((sessionId, change) -> {
            switch (change) {
                case Insert insert -> inserts.add(insert.row());
                case Delete delete -> deletes.add(sessionId);
            }
        });
        store.insertSessions(connection, inserts);
        store.deleteSessions(connection, deletes);
    }
}
