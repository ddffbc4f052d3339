package io.kchat.delivery.archive;

import io.kchat.delivery.db.Transactions;
import io.kchat.delivery.loop.ConsumerLoop;
import io.kchat.delivery.loop.RecordDecoder;
import io.kchat.delivery.loop.RetryBatchException;
import io.kchat.delivery.metrics.DeliveryMetrics;
import io.kchat.events.ChatMessage;
import io.kchat.events.Receipt;
import io.kchat.schemas.AvroSerde;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects chat.messages and chat.receipts into PostgreSQL (D9): the message archive, each conversation's
 * {@code last_seq} / {@code last_activity_at} and each member's {@code read_seq} / {@code delivered_seq}.
 * One transaction per polled batch; the {@link ConsumerLoop} commits the offsets only after it.
 *
 * <p>Poison is skipped, never retried: an undecodable record, and a record the database refuses as data
 * (the batch is then written again record by record, each under a savepoint, to find it).
 * A failing database makes the loop read the batch again later.
 */
public final class Archiver implements ConsumerLoop.BatchHandler {

    private static final Logger log = LoggerFactory.getLogger(Archiver.class);

    private final DataSource database;
    private final ArchiveStore store;
    private final String messagesTopic;
    private final DeliveryMetrics metrics;
    private final AvroSerde<ChatMessage> messages = AvroSerde.of(ChatMessage.class);
    private final AvroSerde<Receipt> receipts = AvroSerde.of(Receipt.class);

    public Archiver(DataSource database, ArchiveStore store, String messagesTopic, DeliveryMetrics metrics) {
        this.database = database;
        this.store = store;
        this.messagesTopic = messagesTopic;
        this.metrics = metrics;
    }

    @Override
    public void handle(ConsumerRecords<byte[], byte[]> records) throws RetryBatchException {
        List<SpecificRecord> events = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            SpecificRecord event = record.topic().equals(messagesTopic)
                    ? RecordDecoder.decode(messages, record) : RecordDecoder.decode(receipts, record);
            if (event != null) {
                events.add(event);
            }
        }
        if (events.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        try {
            Transactions.run(database, connection -> {
                store.write(connection, ArchiveBatch.of(events));
                return null;
            });
            metrics.archiveBatch(System.nanoTime() - started, events.size());
        } catch (SQLException e) {
            if (!Transactions.refusesTheData(e)) {
                throw new RetryBatchException("archive transaction failed (" + Transactions.summary(e) + ")", e);
            }
            log.warn("the database refused a batch of {} events ({}); archiving them one by one", events.size(),
                    Transactions.summary(e));
            writeOneByOne(events);
        }
    }

    private void writeOneByOne(List<SpecificRecord> events) throws RetryBatchException {
        long started = System.nanoTime();
        try {
            Transactions.run(database, connection -> {
                for (SpecificRecord event : events) {
                    Savepoint savepoint = connection.setSavepoint();
                    try {
                        store.write(connection, ArchiveBatch.of(List.of(event)));
                        connection.releaseSavepoint(savepoint);
                    } catch (SQLException e) {
                        if (!Transactions.refusesTheData(e)) {
                            throw e;
                        }
                        connection.rollback(savepoint);
                        log.error("skipping {}: the database refuses it ({})", ArchiveBatch.describe(event),
                                Transactions.summary(e));
                    }
                }
                return null;
            });
            metrics.archiveBatch(System.nanoTime() - started, events.size());
        } catch (SQLException e) {
            throw new RetryBatchException("archive transaction failed (" + Transactions.summary(e) + ")", e);
        }
    }
}
