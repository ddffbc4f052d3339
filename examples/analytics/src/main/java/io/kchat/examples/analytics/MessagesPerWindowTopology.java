package io.kchat.examples.analytics;

import io.kchat.events.MessageMeta;
import io.kchat.schemas.AvroSerde;
import io.kchat.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Messages per conversation per window (tumbling, by the messages' {@code ts}), from {@code chat.message-meta}: the
 * count, the distinct senders and the characters, reported once per window when it closes.
 *
 * <p>Final figures, not updates: {@link Suppressed#untilWindowCloses} holds a window's tally until stream time
 * passes its end plus the grace, so each window is reported once, with every message stamped inside it that arrived
 * in time. Stream time is per partition and moves only with records: the last window of a partition that has gone
 * quiet is reported when that partition's next message arrives. The buffer is unbounded; it holds one tally per
 * conversation active in the last window plus grace.
 */
public final class MessagesPerWindowTopology {

    /** The window store of the tallies (changelog {@code <application id>-messages-per-conversation-window-changelog}). */
    public static final String STORE = "messages-per-conversation-window";
    /** The suppression buffer (changelog {@code <application id>-until-window-closes-store-changelog}). */
    public static final String SUPPRESSION = "until-window-closes";

    private MessagesPerWindowTopology() {
    }

    public static void build(StreamsBuilder builder, Topic<String, MessageMeta> messageMeta, Duration window,
                             Duration grace, Consumer<WindowFigures> report) {
        builder.stream(messageMeta.name(), Consumed.with(messageMeta.keySerde(), messageMeta.valueSerde())
                        .withTimestampExtractor(new MessageMetaTimestamp()).withName("message-meta-source"))
                // edits, deletes and reactions are records of chat.message-meta too (update set): not messages
                .filter((conversationId, meta) -> meta.getUpdate() == null, Named.as("messages-only"))
                // keyed by conversation already: no repartition topic
                .groupByKey(Grouped.with("by-conversation", messageMeta.keySerde(), messageMeta.valueSerde()))
                .windowedBy(TimeWindows.ofSizeAndGrace(window, grace))
                .aggregate(() -> new WindowTally(0L, List.of(), 0L), (conversationId, meta, tally) -> add(tally, meta), Named.as("tally"),
                        Materialized.<String, WindowTally, WindowStore<Bytes, byte[]>>as(STORE)
                                .withKeySerde(messageMeta.keySerde()).withValueSerde(AvroSerde.of(WindowTally.class)))
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName(SUPPRESSION))
                .toStream(Named.as("closed-windows"))
                .foreach((key, tally) -> report.accept(figures(key, window, tally)), Named.as("report"));
    }

    public static Properties config(AnalyticsConfig config) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        // Exactly-once keeps the tallies exact across a crash (store and offsets commit together). The report is a
        // side effect outside Kafka: after a crash, a window reported just before it may be reported again.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // What exactly-once implies anyway, said here because it is the rule for every reader of kchat's
        // transactional topics: an aborted record must not be counted.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // A record it cannot decode (a writer schema newer than this build's schemas artifact) stops the example
        // instead of being skipped: counts would silently be short. Upgrade the artifact and restart; nothing is lost.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndFailExceptionHandler.class);
        // No record cache: each update reaches the suppression at once, which alone decides when a window is done.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        return props;
    }

    static WindowTally add(WindowTally tally, MessageMeta meta) {
        List<String> senders = new ArrayList<>(tally.getSenders());
        if (!senders.contains(meta.getSenderId())) {
            senders.add(meta.getSenderId());
        }
        return new WindowTally(tally.getMessages() + 1, senders, tally.getChars() + meta.getBodyLength());
    }

    private static WindowFigures figures(Windowed<String> key, Duration window, WindowTally tally) {
        return new WindowFigures(key.key(), key.window().startTime(), window, tally.getMessages(),
                tally.getSenders().size(), tally.getChars());
    }
}
