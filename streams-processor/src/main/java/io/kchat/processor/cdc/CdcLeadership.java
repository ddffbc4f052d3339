package io.kchat.processor.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which processor runs the CDC engine (D8): the holder of a PostgreSQL session advisory lock named after
 * the replication slot. Only the holder starts an engine, so standbys stay quiet and never race the
 * active one to create the publication or slot, or snapshot the tables a second time. The lock lives
 * as long as this instance's database session: a process that dies (even kill -9) drops its connection
 * and the lock with it, and a standby takes over at its next try. The slot's own exclusivity remains
 * the backstop should two engines ever run.
 */
final class CdcLeadership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CdcLeadership.class);
    private static final int VALIDITY_TIMEOUT_SECONDS = 5;

    private final CdcConfig db;
    private Connection session;
    private boolean held;

    CdcLeadership(CdcConfig db) {
        this.db = db;
    }

    /** Takes the lock if it is free; true while this instance holds it. */
    synchronized boolean tryAcquire() throws SQLException {
        if (held && session.isValid(VALIDITY_TIMEOUT_SECONDS)) {
            return true;
        }
        if (session == null || !session.isValid(VALIDITY_TIMEOUT_SECONDS)) {
            release();
            session = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        }
        try (PreparedStatement lock = session.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
            lock.setString(1, db.slotName());
            try (ResultSet result = lock.executeQuery()) {
                held = result.next() && result.getBoolean(1);
            }
        }
        if (held) {
            log.info("holding the CDC lock for slot {}: this instance runs the engine", db.slotName());
        }
        return held;
    }

    /** False once the session that holds the lock is gone: someone else may hold it now. */
    synchronized boolean stillHeld() {
        try {
            return held && session.isValid(VALIDITY_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Ends the session, which releases the lock. */
    synchronized void release() {
        held = false;
        if (session != null) {
            try {
                session.close();
            } catch (SQLException e) {
                log.debug("closing the CDC lock session failed", e);
            }
            session = null;
        }
    }

    @Override
    public void close() {
        release();
    }
}
