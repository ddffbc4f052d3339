package io.kchat.processor.cdc;

import java.net.URI;
import java.util.Properties;

/** Debezium engine properties for the PostgreSQL connector, offsets kept in Kafka (not on local disk). */
final class CdcEngineProperties {

    static final String TOPIC_PREFIX = "kchatdb";
    static final String CAPTURED_TABLES = "public.outbox,public.users,public.devices";

    private CdcEngineProperties() {
    }

    static Properties of(CdcConfig cdc, CdcRelay.Cluster config) {
        URI db = URI.create(cdc.jdbcUrl().substring("jdbc:".length()));
        Properties props = new Properties();
        props.setProperty("name", config.applicationId() + "-cdc");
        props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        props.setProperty("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        props.setProperty("offset.storage.topic", config.topicPrefix() + "chat.cdc.offsets");
        props.setProperty("offset.storage.partitions", "1");
        props.setProperty("offset.storage.replication.factor", Short.toString(config.replicationFactor()));
        props.setProperty("offset.flush.interval.ms", "1000");
        props.setProperty("bootstrap.servers", config.bootstrapServers());
        props.setProperty("database.hostname", db.getHost());
        props.setProperty("database.port", Integer.toString(db.getPort() < 0 ? 5432 : db.getPort()));
        props.setProperty("database.dbname", db.getPath().substring(1));
        props.setProperty("database.user", cdc.user());
        props.setProperty("database.password", cdc.password());
        props.setProperty("topic.prefix", TOPIC_PREFIX);
        props.setProperty("plugin.name", "pgoutput");
        props.setProperty("slot.name", cdc.slotName());
        props.setProperty("publication.name", cdc.slotName() + "_pub");
        props.setProperty("publication.autocreate.mode", "filtered");
        props.setProperty("table.include.list", CAPTURED_TABLES);
        // Outbox rows that predate the slot are relayed once too: harmless, the processor applies them by version.
        props.setProperty("snapshot.mode", "initial");
        props.setProperty("heartbeat.interval.ms", "10000");
        props.setProperty("binary.handling.mode", "bytes");
        props.setProperty("decimal.handling.mode", "string");
        props.setProperty("time.precision.mode", "connect");
        return props;
    }
}
