package io.kchat.delivery.reaper;

import io.kchat.delivery.db.Transactions;
import io.kchat.delivery.loop.ServiceLoop;
import io.kchat.events.SessionClosed;
import io.kchat.events.UserCommand;
import io.kchat.schemas.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guarantee 8, a dead gateway does not leave users online: every {@code interval}, deletes the sessions
 * whose node row is missing, whose node's heartbeat is older than {@code expiry}, or whose incarnation is
 * not the node's current one (the node restarted), and tells the user side with a {@link SessionClosed}
 * per session on chat.user-inbound, which drops the session and, for a user's last one, emits presence
 * offline. The database's {@code now()} judges heartbeat age, so one clock judges every node.
 *
 * <p>Each session is reaped once although several instances reap concurrently: the rows are taken with
 * {@code FOR UPDATE SKIP LOCKED} (two reapers split the work instead of waiting on each other) and
 * deleted by one {@code DELETE ... RETURNING}.
 *
 * <p>Publishing before forgetting: the DELETE's transaction stays open until every SessionClosed of the
 * pass is acknowledged (acks=all), and is committed only then. If a send fails, or this process dies
 * before the commit, the transaction rolls back and the rows are back for the next pass, so the user
 * side always learns, at least once. Repeats are harmless: closing a session that is not open is a
 * no-op on the user side. (Deleting first and re-inserting after a failed send would lose the sessions
 * for good if the process died in between.) Meanwhile the rows are locked, so a gateway deleting one of
 * them itself waits at most for the producer's delivery timeout.
 */
public final class SessionReaper implements ServiceLoop {

    public static final int DEFAULT_BATCH_LIMIT = 500;

    private static final Logger log = LoggerFactory.getLogger(SessionReaper.class);

    private static final String REAP = """
            DELETE FROM sessions
             WHERE session_id IN (
                   SELECT s.session_id FROM sessions s
                    WHERE NOT EXISTS (SELECT 1 FROM nodes n
                                       WHERE n.node_id = s.node_id AND n.incarnation = s.incarnation
                                         AND n.heartbeat_at >= now() - ?::interval)
                    LIMIT ?
                      FOR UPDATE SKIP LOCKED)
            RETURNING user_id, device_id, session_id, node_id""";

    private final DataSource database;
    private final Producer<byte[], byte[]> producer;
    private final String userInboundTopic;
    private final Duration interval;
    private final Duration expiry;
    private final int batchLimit;
    private final Clock clock;
    private final AvroSerde<UserCommand> serde = AvroSerde.of(UserCommand.class);
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    public SessionReaper(DataSource database, Producer<byte[], byte[]> producer, String userInboundTopic,
                         Duration interval, Duration expiry, int batchLimit, Clock clock) {
        this.database = database;
        this.producer = producer;
        this.userInboundTopic = userInboundTopic;
        this.interval = interval;
        this.expiry = expiry;
        this.batchLimit = batchLimit;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            while (stopRequested.getCount() > 0) {
                try {
                    reapAll();
                } catch (InterruptException e) {
                    throw e;
                } catch (SQLException | KafkaException e) {
                    log.warn("reaping sessions failed, the next pass in {} tries again: {}", interval, e.getMessage());
                }
                stopRequested.await(interval.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException | InterruptException e) {
            Thread.currentThread().interrupt();
            log.info("session reaper interrupted, stopping");
        }
    }

    @Override
    public void stop() {
        stopRequested.countDown();
    }

    /** Reaps batches until none is full; the number of sessions reaped. */
    int reapAll() throws SQLException {
        int total = 0;
        int reaped;
        do {
            reaped = reapOnce();
            total += reaped;
        } while (reaped == batchLimit && stopRequested.getCount() > 0);
        if (total > 0) {
            log.info("reaped {} sessions of dead or restarted gateway nodes", total);
        }
        return total;
    }

    /** One batch of at most {@code batchLimit} sessions, published before the DELETE commits. */
    int reapOnce() throws SQLException {
        return Transactions.run(database, connection -> {
            List<SessionClosed> closed = new ArrayList<>();
            Instant now = clock.instant();
            try (PreparedStatement reap = connection.prepareStatement(REAP)) {
                reap.setString(1, expiry.toMillis() + " milliseconds");
                reap.setInt(2, batchLimit);
                try (ResultSet rows = reap.executeQuery()) {
                    while (rows.next()) {
                        closed.add(new SessionClosed(rows.getString(1), rows.getString(2), rows.getString(3),
                                rows.getString(4), now));
                    }
                }
            }
            publish(closed);
            return closed.size();
        });
    }

    /** Sends every SessionClosed and waits for all acknowledgements; throws if one failed. */
    private void publish(List<SessionClosed> closed) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(closed.size());
        for (SessionClosed session : closed) {
            acks.add(producer.send(new ProducerRecord<>(userInboundTopic,
                    session.getUserId().getBytes(StandardCharsets.UTF_8), serde.encode(new UserCommand(session)))));
        }
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                throw new KafkaException("SessionClosed not acknowledged; the sessions stay for the next pass",
                        e.getCause());
            } catch (InterruptedException e) {
                throw new InterruptException(e);
            }
        }
    }
}
