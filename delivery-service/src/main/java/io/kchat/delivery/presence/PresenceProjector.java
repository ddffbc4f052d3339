package io.kchat.delivery.presence;

import io.kchat.delivery.db.Timestamps;
import io.kchat.delivery.db.Transactions;
import io.kchat.delivery.loop.ConsumerLoop;
import io.kchat.delivery.loop.RecordDecoder;
import io.kchat.delivery.loop.RetryBatchException;
import io.kchat.delivery.routing.EphemeralFanOut;
import io.kchat.delivery.routing.SessionDirectory;
import io.kchat.events.PresenceChanged;
import io.kchat.observability.Correlation;
import io.kchat.schemas.AvroSerde;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * chat.presence into the {@code presence} table, then to the open sessions of everyone sharing a
 * conversation with the user. Within a batch only each user's newest change counts (a backlog costs one
 * notice per user), and the table's {@code last_seen} never moves back. The table write is retried until
 * it succeeds; the notices are sent once, after it.
 */
public final class PresenceProjector implements ConsumerLoop.BatchHandler {

    private static final Logger log = LoggerFactory.getLogger(PresenceProjector.class);

    // last_seen never moves back; a user without an account row (deleted) is not projected
    private static final String UPSERT = """
            INSERT INTO presence (user_id, online, last_seen)
            SELECT ?::text, ?::boolean, ?::timestamptz
             WHERE EXISTS (SELECT 1 FROM users WHERE user_id = ?)
            ON CONFLICT (user_id) DO UPDATE SET online = EXCLUDED.online, last_seen = EXCLUDED.last_seen
             WHERE presence.last_seen <= EXCLUDED.last_seen""";

    /** A change and the correlation id of its record. */
    private record Change(PresenceChanged change, String correlation) {
    }

    private final DataSource database;
    private final SessionDirectory directory;
    private final EphemeralFanOut fanOut;
    private final AvroSerde<PresenceChanged> serde = AvroSerde.of(PresenceChanged.class);

    public PresenceProjector(DataSource database, SessionDirectory directory, EphemeralFanOut fanOut) {
        this.database = database;
        this.directory = directory;
        this.fanOut = fanOut;
    }

    @Override
    public void handle(ConsumerRecords<byte[], byte[]> records) throws RetryBatchException {
        Map<String, Change> latest = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            PresenceChanged change = RecordDecoder.decode(serde, record);
            if (change != null) {
                // same rule as the table: the newest by at wins, a tie goes to the later record
                latest.merge(change.getUserId(), new Change(change, Correlation.of(record.headers())),
                        (kept, next) -> next.change().getAt().isBefore(kept.change().getAt()) ? kept : next);
            }
        }
        if (latest.isEmpty()) {
            return;
        }
        try {
            Transactions.run(database, connection -> {
                try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                    for (Change changed : latest.values()) {
                        PresenceChanged change = changed.change();
                        upsert.setString(1, change.getUserId());
                        upsert.setBoolean(2, change.getOnline());
                        upsert.setObject(3, Timestamps.utc(change.getAt()));
                        upsert.setString(4, change.getUserId());
                        upsert.addBatch();
                    }
                    return upsert.executeBatch();
                }
            });
        } catch (SQLException e) {
            throw new RetryBatchException("presence upsert failed (" + Transactions.summary(e) + ")", e);
        }
        latest.values().forEach(this::notifyCoMembers);
    }

    private void notifyCoMembers(Change changed) {
        PresenceChanged change = changed.change();
        try (Correlation.Scope ignored = Correlation.open(changed.correlation())) {
            fanOut.send(directory.coMembersOf(change.getUserId()), change);
        } catch (SQLException | KafkaException e) {
            log.warn("presence of {} not relayed: {}", change.getUserId(), e.getMessage());
        }
    }
}
