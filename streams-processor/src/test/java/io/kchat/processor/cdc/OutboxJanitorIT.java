package io.kchat.processor.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The janitor deletes only outbox rows that were relayed and are older than the retention, on a real database. */
class OutboxJanitorIT {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final byte[] PAYLOAD = {1, 2, 3};

    @Test
    void deletesRelayedRowsOlderThanTheRetentionAndNothingElse() throws Exception {
        CdcFixture fx = new CdcFixture("janitor", Map.of("OUTBOX_RETENTION", "1h"));
        AtomicLong relayed = new AtomicLong();
        OutboxJanitor janitor = new OutboxJanitor(fx.config.cdc(), relayed::get, Clock.fixed(NOW, ZoneOffset.UTC));
        try (Connection db = fx.connect()) {
            long oldRelayed = CdcFixture.insertOutbox(db, "c1", PAYLOAD, NOW.minus(Duration.ofHours(3)));
            long justOldEnough = CdcFixture.insertOutbox(db, "c2", PAYLOAD, NOW.minus(Duration.ofMinutes(61)));
            long recentRelayed = CdcFixture.insertOutbox(db, "c3", PAYLOAD, NOW.minus(Duration.ofMinutes(59)));
            long oldNotRelayed = CdcFixture.insertOutbox(db, "c4", PAYLOAD, NOW.minus(Duration.ofHours(2)));

            assertEquals(List.of(oldRelayed, justOldEnough, recentRelayed, oldNotRelayed), ids(db));
            assertEquals(0, janitor.runOnce(), "nothing relayed yet");
            relayed.set(recentRelayed);
            assertEquals(2, janitor.runOnce());
            assertEquals(List.of(recentRelayed, oldNotRelayed), ids(db));
            assertEquals(0, janitor.runOnce(), "a second pass finds nothing more");
        }
    }

    @Test
    void aBacklogGoesInSeveralShortStatements() throws Exception {
        CdcFixture fx = new CdcFixture("janitor-backlog", Map.of());
        try (Connection db = fx.connect()) {
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO outbox (aggregate_id, event_type, payload, created_at) "
                    + "SELECT 'c' || n, 'InboundCommand', '\\x01', ? FROM generate_series(1, ?) AS n")) {
                insert.setTimestamp(1, Timestamp.from(NOW.minus(Duration.ofDays(1))));
                insert.setInt(2, OutboxJanitor.BATCH + 2);
                insert.executeUpdate();
            }
            OutboxJanitor janitor = new OutboxJanitor(fx.config.cdc(), () -> Long.MAX_VALUE, Clock.fixed(NOW, ZoneOffset.UTC));
            assertEquals(OutboxJanitor.BATCH + 2, janitor.runOnce());
            assertEquals(List.of(), ids(db));
        }
    }

    private static List<Long> ids(Connection db) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Statement query = db.createStatement(); ResultSet rows = query.executeQuery("SELECT id FROM outbox ORDER BY id")) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }
}
