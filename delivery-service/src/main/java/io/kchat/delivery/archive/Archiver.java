package io.kchat.delivery.archive;

import io.kchat.delivery.db.Transactions;
import io.kchat.delivery.loop.ConsumerLoop;
import io.kchat.delivery.loop.RecordDecoder;
import io.kchat.delivery.loop.RetryBatchException;
import io.kchat.delivery.metrics.DeliveryMetrics;
import io.kchat.events.ChatMessage;
import io.kchat.events.MessageUpdate;
import io.kchat.events.Receipt;
import io.kchat.schemas.AvroSerde;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects chat.messages, chat.receipts and chat.message-updates into PostgreSQL (D9, D13): the message archive and
 * each message's current state, each conversation's {@code last_seq} / {@code last_activity_at} and each member's
 * {@code read_seq} / {@code delivered_seq}. One transaction per polled batch, messages before updates; the
 * {@link ConsumerLoop} commits the offsets only after it.
 *
 * <p>The three topics are read by one consumer, so a message and its updates usually arrive in one batch. Still, the
 * topics are fetched independently and an update can come before its message (a backlog of messages, another
 * instance holding the messages partition): that update, and everything after it in its partition, is left for
 * later, and the loop reads the partition again from there once the messages had time to catch up. Updates of one
 * message are so applied in their order, never before the message.
 *
 * <p>Poison is skipped, never retried: an undecodable record, and a record the database refuses as data
 * (the batch is then written again record by record, each under a savepoint, to find it).
 * A failing database makes the loop read the batch again later.
 */
public final class Archiver implements ConsumerLoop.PartialBatchHandler {

    private static final Logger log = LoggerFactory.getLogger(Archiver.class);

    /** An update and where it was read: a partition left for later is read again from its offset. */
    private record ReadUpdate(TopicPartition partition, long offset, MessageUpdate update) {
    }

    private final DataSource database;
    private final ArchiveStore store;
    private final UpdateStore updateStore = new UpdateStore();
    private final String messagesTopic;
    private final String updatesTopic;
    private final DeliveryMetrics metrics;
    private final AvroSerde<ChatMessage> messages = AvroSerde.of(ChatMessage.class);
    private final AvroSerde<Receipt> receipts = AvroSerde.of(Receipt.class);
    private final AvroSerde<MessageUpdate> updates = AvroSerde.of(MessageUpdate.class);

    public Archiver(DataSource database, ArchiveStore store, String messagesTopic, String updatesTopic,
                    DeliveryMetrics metrics) {
        this.database = database;
        this.store = store;
        this.messagesTopic = messagesTopic;
        this.updatesTopic = updatesTopic;
        this.metrics = metrics;
    }

    @Override
    public Map<TopicPartition, Long> handle(ConsumerRecords<byte[], byte[]> records) throws RetryBatchException {
        List<SpecificRecord> events = new ArrayList<>(records.count());
        List<ReadUpdate> read = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.topic().equals(updatesTopic)) {
                MessageUpdate update = RecordDecoder.decode(updates, record);
                if (update != null) {
                    read.add(new ReadUpdate(new TopicPartition(record.topic(), record.partition()), record.offset(),
                            update));
                }
                continue;
            }
            SpecificRecord event = record.topic().equals(messagesTopic)
                    ? RecordDecoder.decode(messages, record) : RecordDecoder.decode(receipts, record);
            if (event != null) {
                events.add(event);
            }
        }
        if (events.isEmpty() && read.isEmpty()) {
            return Map.of();
        }
        long started = System.nanoTime();
        try {
            Map<TopicPartition, Long> held = Transactions.run(database, connection -> {
                if (!events.isEmpty()) {
                    store.write(connection, ArchiveBatch.of(events));
                }
                return applyUpdates(connection, read, false);
            });
            metrics.archiveBatch(System.nanoTime() - started, events.size() + read.size());
            return held;
        } catch (SQLException e) {
            if (!Transactions.refusesTheData(e)) {
                throw new RetryBatchException("archive transaction failed (" + Transactions.summary(e) + ")", e);
            }
            log.warn("the database refused a batch of {} events and {} updates ({}); archiving them one by one",
                    events.size(), read.size(), Transactions.summary(e));
            return writeOneByOne(events, read);
        }
    }

    private Map<TopicPartition, Long> writeOneByOne(List<SpecificRecord> events, List<ReadUpdate> read)
            throws RetryBatchException {
        long started = System.nanoTime();
        try {
            Map<TopicPartition, Long> held = Transactions.run(database, connection -> {
                for (SpecificRecord event : events) {
                    ArchiveBatch batch = ArchiveBatch.of(List.of(event));
                    boolean written = underSavepoint(connection, ArchiveBatch.describe(event), c -> {
                        store.write(c, batch);
                        return true;
                    }, false);
                    if (!written && !batch.messages().isEmpty()) {
                        underSavepoint(connection, "the watermark of " + ArchiveBatch.describe(event), c -> {
                            store.write(c, batch.withoutMessages());
                            return true;
                        }, false);
                    }
                }
                return applyUpdates(connection, read, true);
            });
            metrics.archiveBatch(System.nanoTime() - started, events.size() + read.size());
            return held;
        } catch (SQLException e) {
            throw new RetryBatchException("archive transaction failed (" + Transactions.summary(e) + ")", e);
        }
    }

    /**
     * Applies the updates in the order read, up to the first one per partition whose message is not archived yet.
     *
     * @param oneByOne each under a savepoint, skipping those the database refuses
     * @return the partitions left for later, from that first update on
     */
    private Map<TopicPartition, Long> applyUpdates(Connection connection, List<ReadUpdate> read, boolean oneByOne)
            throws SQLException {
        Map<TopicPartition, Long> held = new HashMap<>();
        for (ReadUpdate r : read) {
            if (held.containsKey(r.partition())) {
                continue; // read again with the update it follows
            }
            UpdateStore.Outcome outcome = oneByOne
                    ? underSavepoint(connection, describe(r.update()), c -> updateStore.apply(c, r.update()),
                            UpdateStore.Outcome.REFUSED)
                    : updateStore.apply(connection, r.update());
            switch (outcome) {
                case NOT_YET_ARCHIVED -> {
                    log.debug("{} came before its message: {} is read again from offset {}", describe(r.update()),
                            r.partition(), r.offset());
                    held.put(r.partition(), r.offset());
                }
                case NEVER_ARCHIVED -> log.error("skipping {}: its message is not archived and never will be",
                        describe(r.update()));
                default -> {
                }
            }
        }
        return held;
    }

    /**
     * Runs {@code work} under a savepoint: when the database refuses its data, logs it as skipped, undoes it alone and
     * returns {@code refused}.
     */
    private static <T> T underSavepoint(Connection connection, String what, Transactions.Work<T> work, T refused)
            throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            T result = work.apply(connection);
            connection.releaseSavepoint(savepoint);
            return result;
        } catch (SQLException e) {
            if (!Transactions.refusesTheData(e)) {
                throw e;
            }
            connection.rollback(savepoint);
            log.error("skipping {}: the database refuses it ({})", what, Transactions.summary(e));
            return refused;
        }
    }

    /** For logs: what, of which message, never its content. */
    private static String describe(MessageUpdate update) {
        return update.getKind() + " " + update.getUpdateId() + " of " + update.getConversationId() + "#"
                + update.getSeq();
    }
}
