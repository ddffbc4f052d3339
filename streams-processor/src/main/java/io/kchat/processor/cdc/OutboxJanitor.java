package io.kchat.processor.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes outbox rows the relay is done with: relayed already (id at most the highest id relayed) and
 * older than the retention. Ids are handed out at insert but rows become visible at commit, so a row
 * with a lower id can commit, and be relayed, after a higher one; the retention keeps such a
 * straggler until it has long been relayed too. Runs on a wall-clock timer in the CDC engine's host,
 * outside the deterministic path (D11); the clock is injected.
 */
final class OutboxJanitor {

    private static final Logger log = LoggerFactory.getLogger(OutboxJanitor.class);
    /** Rows per statement: a long backlog goes in short transactions rather than one long one. */
    static final int BATCH = 5_000;

    private final CdcConfig db;
    private final LongSupplier relayedUpTo;
    private final Duration retention;
    private final Clock clock;

    OutboxJanitor(CdcConfig db, LongSupplier relayedUpTo, Clock clock) {
        this.db = db;
        this.relayedUpTo = relayedUpTo;
        this.retention = db.outboxRetention();
        this.clock = clock;
    }

    /** One cleanup pass; returns the number of rows deleted. */
    int runOnce() throws SQLException {
        long upTo = relayedUpTo.getAsLong();
        if (upTo <= 0) {
            return 0; // nothing relayed by this instance yet (a standby, or an engine that just started)
        }
        Timestamp olderThan = Timestamp.from(clock.instant().minus(retention));
        int total = 0;
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE id <= ? AND created_at < ? ORDER BY id LIMIT ?)")) {
            int deleted;
            do {
                delete.setLong(1, upTo);
                delete.setTimestamp(2, olderThan);
                delete.setInt(3, BATCH);
                deleted = delete.executeUpdate();
                total += deleted;
            } while (deleted == BATCH);
        }
        if (total > 0) {
            log.info("deleted {} relayed outbox rows (id <= {}, created before {})", total, upTo, olderThan.toInstant());
        }
        return total;
    }

    /** For the timer: a failed pass is retried at the next tick. */
    void runQuietly() {
        try {
            runOnce();
        } catch (SQLException | RuntimeException e) {
            log.warn("outbox cleanup failed; retrying at the next run", e);
        }
    }
}
