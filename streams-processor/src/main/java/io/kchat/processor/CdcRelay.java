package io.kchat.processor;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.kchat.schemas.TopicCatalogue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Debezium embedded engine (D1, D8): relays the outbox table to chat.inbound as the safety net
 * for a gateway that crashed between its commit and its publish, and the users and devices tables
 * to their CDC topics. At-least-once: offsets are marked only after Kafka acknowledged the batch, and
 * the processor applies membership snapshots idempotently by version.
 *
 * <p>The replication slot is exclusive, so with several processors exactly one engine runs; the
 * others fail to acquire the slot and retry quietly until it is released.
 */
final class CdcRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CdcRelay.class);
    private static final long STANDBY_RETRY_MILLIS = 5_000;

    private final Properties engineProperties;
    private final Producer<byte[], byte[]> producer;
    private final CdcRecordMapper mapper;
    private final Thread supervisor;
    private volatile boolean closing;
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;

    private CdcRelay(Properties engineProperties, Producer<byte[], byte[]> producer, CdcRecordMapper mapper) {
        this.engineProperties = engineProperties;
        this.producer = producer;
        this.mapper = mapper;
        this.supervisor = Thread.ofPlatform().name("cdc-supervisor").daemon().unstarted(this::superviseEngine);
    }

    static CdcRelay start(ProcessorConfig config, TopicCatalogue topics) {
        Producer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, config.applicationId() + "-cdc",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new ByteArraySerializer(), new ByteArraySerializer());
        CdcRelay relay = new CdcRelay(CdcEngineProperties.of(config), producer,
                new CdcRecordMapper(topics, CdcEngineProperties.TOPIC_PREFIX));
        relay.supervisor.start();
        return relay;
    }

    private void superviseEngine() {
        while (!closing) {
            DebeziumEngine<RecordChangeEvent<SourceRecord>> next = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                    .using(engineProperties)
                    .using((success, message, error) -> {
                        if (!success && !closing) {
                            log.info("CDC engine stopped ({}); standing by", message, error);
                        }
                    })
                    .notifying(this::relay)
                    .build();
            engine = next;
            next.run();
            if (closing) {
                return;
            }
            try {
                Thread.sleep(STANDBY_RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void relay(List<RecordChangeEvent<SourceRecord>> batch,
                       DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<Future<RecordMetadata>> sends = new ArrayList<>(batch.size());
        for (RecordChangeEvent<SourceRecord> event : batch) {
            ProducerRecord<byte[], byte[]> out = mapper.map(event.record());
            if (out != null) {
                sends.add(producer.send(out));
            }
        }
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // Not marking the batch makes the engine stop and redeliver it from the last committed offset.
                throw new IllegalStateException("CDC relay could not write to Kafka", e);
            }
        }
        for (RecordChangeEvent<SourceRecord> event : batch) {
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
    }

    @Override
    public void close() throws Exception {
        closing = true;
        DebeziumEngine<RecordChangeEvent<SourceRecord>> running = engine;
        if (running != null) {
            running.close();
        }
        supervisor.interrupt();
        supervisor.join(30_000);
        producer.close();
    }
}
