package io.kchat.processor.user;

import io.kchat.events.Delivery;
import io.kchat.events.LoggedEvent;
import io.kchat.events.UserCommand;
import io.kchat.events.UserState;
import io.kchat.schemas.AvroSerde;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * User side (keyed by user, D4): appends each event addressed to a user to that user's bounded log
 * with a gap-free {@code userSeq}, keeps per-device cursors and the user's open sessions, and emits
 * every event, replay and sync marker to {@code chat.deliveries} with the sessions it is for.
 */
public final class UserLogTopology {

    public static final String STATE_STORE = "user-state";
    public static final String LOG_STORE = "user-log";
    public static final int DEFAULT_MAX_EVENTS_PER_USER = 10_000;

    private UserLogTopology() {
    }

    public static void build(StreamsBuilder builder, TopicCatalogue topics, int maxEventsPerUser) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), AvroSerde.of(UserState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(LOG_STORE), Serdes.String(), AvroSerde.of(LoggedEvent.class)));

        Topic<String, UserCommand> userInbound = topics.userInbound();
        Topic<String, Delivery> deliveries = topics.deliveries();
        builder.stream(userInbound.name(), Consumed.with(userInbound.keySerde(), userInbound.valueSerde())
                        .withName("user-inbound-source"))
                .process(() -> new UserLogProcessor(maxEventsPerUser), Named.as("user-commands"), STATE_STORE, LOG_STORE)
                .to(deliveries.name(), Produced.with(deliveries.keySerde(), deliveries.valueSerde()).withName("deliveries-sink"));
    }
}
