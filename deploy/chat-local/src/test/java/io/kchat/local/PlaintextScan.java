package io.kchat.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Looks for a plaintext everywhere a {@link LocalStack} could have put it:
 * <ul>
 *   <li>{@link Place#DATABASE}: every row of every table of every non-system schema of its database, as
 *       {@code row::text} (bytea as hex, jsonb as JSON);</li>
 *   <li>{@link Place#DATABASE_FILES}: the database's files and the server's WAL and replication-slot spill files,
 *       after a checkpoint: rows deleted or updated since (an outbox relayed and cleaned up) are still there;</li>
 *   <li>{@link Place#TOPIC}: every record's key, value and headers of every topic named with the stack's prefix or
 *       the processor's application id (changelogs and repartition topics included), read uncommitted so that
 *       aborted transactions are seen too;</li>
 *   <li>{@link Place#STATE_FILES}: the files under the stack's state directory (the processor's RocksDB stores): best effort,
 *       what is still in a store's memtable is not on disk yet (but is in its changelog topic);</li>
 *   <li>{@link Place#LOG}: every log event since {@link #start}, with {@code io.kchat} at DEBUG meanwhile;</li>
 *   <li>{@link Place#METRICS}: the gateway's Prometheus scrape (every service's meters, in this stack).</li>
 * </ul>
 * Each place is searched for the needle's UTF-8 bytes and its encoded forms (see {@link Needle}). The search is a
 * snapshot taken by {@link #findings}: wait for the scenario to have gone all the way through first.
 *
 * <pre>{@code
 * try (PlaintextScan scan = PlaintextScan.start(stack)) {
 *     ... the scenario ...
 *     assertEquals(List.of(), scan.findings("words nobody may store"));
 * }
 * }</pre>
 */
final class PlaintextScan implements AutoCloseable {

    enum Place { DATABASE, DATABASE_FILES, TOPIC, STATE_FILES, LOG, METRICS }

    /** One occurrence: the place, where in it (table, topic-partition@offset, file, log event), form and excerpt. */
    record Finding(Place place, String where, String form, String excerpt) {
        @Override
        public String toString() {
            return place + " " + where + " [" + form + "]: " + excerpt;
        }
    }

    private static final Duration TOPIC_READ_TIMEOUT = Duration.ofSeconds(30);
    private final LocalStack stack;
    private final CapturedLogs logs;

    private PlaintextScan(LocalStack stack, CapturedLogs logs) {
        this.stack = stack;
        this.logs = logs;
    }

    /** Starts recording the logs; call before the scenario. */
    static PlaintextScan start(LocalStack stack) {
        return new PlaintextScan(stack, CapturedLogs.attach());
    }

    /** Every place where {@code plaintext} is found now, in any of its forms; empty when nowhere. */
    List<Finding> findings(String plaintext) throws Exception {
        Needle needle = Needle.of(plaintext);
        List<Finding> findings = new ArrayList<>();
        findings.addAll(database(needle));
        findings.addAll(databaseFiles(needle));
        findings.addAll(topics(needle));
        findings.addAll(files(Place.STATE_FILES, stack.stateDir(), needle));
        findings.addAll(logs(needle));
        findings.addAll(metrics(needle));
        return findings;
    }

    /** Only the findings in {@code place}. */
    List<Finding> findings(String plaintext, Place place) throws Exception {
        return findings(plaintext).stream().filter(f -> f.place() == place).toList();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(stack.databaseUrl(), stack.databaseUser(), stack.databasePassword());
    }

    private List<Finding> database(Needle needle) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = sql.executeQuery("""
                    SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                      AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1""")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rows = sql.executeQuery("SELECT t::text FROM " + table + " t")) {
                    for (int row = 1; rows.next(); row++) {
                        for (Needle.Match match : needle.in(rows.getString(1))) {
                            findings.add(new Finding(Place.DATABASE, table + " row " + row, match.form(),
                                    match.excerpt()));
                        }
                    }
                }
            }
        }
        return findings;
    }

    private List<Finding> databaseFiles(Needle needle) throws SQLException, IOException {
        String databaseOid;
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            sql.execute("CHECKPOINT"); // dirty pages of the shared buffers onto the files
            try (ResultSet oid = sql.executeQuery("SELECT oid FROM pg_database WHERE datname = current_database()")) {
                oid.next();
                databaseOid = oid.getString(1);
            }
        }
        Path dataDir = stack.postgresDataDir();
        List<Finding> findings = new ArrayList<>();
        for (Path dir : List.of(dataDir.resolve("base").resolve(databaseOid), dataDir.resolve("pg_wal"),
                dataDir.resolve("pg_replslot"))) {
            findings.addAll(files(Place.DATABASE_FILES, dir, needle));
        }
        return findings;
    }

    private static List<Finding> files(Place place, Path dir, Needle needle) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) { // a store compacting as we walk: look again
                return files(place, dir, needle);
            }
            throw e;
        }
        List<Finding> findings = new ArrayList<>();
        for (Path file : files) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException gone) {
                continue;
            }
            for (Needle.Match match : needle.in(bytes)) {
                findings.add(new Finding(place, dir.relativize(file) + " @" + match.offset() + " in " + dir,
                        match.form(), match.excerpt()));
            }
        }
        return findings;
    }

    /** The names of the stack's topics: its prefix, or the processor's application id (its internal topics). */
    private List<String> topicNames() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            return admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get().stream()
                    .filter(name -> name.contains(stack.topicPrefix()) || name.contains(stack.processorApplicationId()))
                    .sorted().toList();
        }
    }

    private List<Finding> topics(Needle needle) throws Exception {
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.CLIENT_ID_CONFIG, "plaintext-scan-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        List<Finding> findings = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topicNames()) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions); // read_uncommitted: the high watermark
            long deadline = System.nanoTime() + TOPIC_READ_TIMEOUT.toNanos();
            while (!partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read every topic to its end within " + TOPIC_READ_TIMEOUT);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    findings.addAll(inRecord(record, needle));
                }
            }
        }
        return findings;
    }

    private static List<Finding> inRecord(ConsumerRecord<byte[], byte[]> record, Needle needle) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        List<Finding> findings = new ArrayList<>();
        if (record.key() != null) {
            needle.in(record.key()).forEach(m -> findings.add(new Finding(Place.TOPIC, where + " key", m.form(), m.excerpt())));
        }
        if (record.value() != null) {
            needle.in(record.value()).forEach(m -> findings.add(new Finding(Place.TOPIC, where + " value", m.form(), m.excerpt())));
        }
        for (Header header : record.headers()) {
            String name = where + " header " + header.key();
            needle.in(header.key()).forEach(m -> findings.add(new Finding(Place.TOPIC, name, m.form(), m.excerpt())));
            if (header.value() != null) {
                needle.in(header.value()).forEach(m -> findings.add(new Finding(Place.TOPIC, name, m.form(), m.excerpt())));
            }
        }
        return findings;
    }

    private List<Finding> logs(Needle needle) {
        List<Finding> findings = new ArrayList<>();
        List<CapturedLogs.Event> events = logs.events();
        for (int i = 0; i < events.size(); i++) {
            CapturedLogs.Event event = events.get(i);
            for (Needle.Match match : needle.in(event.text())) {
                findings.add(new Finding(Place.LOG, "event " + (i + 1) + " " + event.level() + " " + event.logger(),
                        match.form(), match.excerpt()));
            }
        }
        return findings;
    }

    private List<Finding> metrics(Needle needle) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + stack.port() + "/metrics");
        HttpResponse<String> scrape;
        try (HttpClient client = HttpClient.newHttpClient()) {
            scrape = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        if (scrape.statusCode() != 200) {
            throw new AssertionError("GET " + uri + ": " + scrape.statusCode());
        }
        return needle.in(scrape.body()).stream()
                .map(m -> new Finding(Place.METRICS, uri.toString(), m.form(), m.excerpt())).toList();
    }

    /** Stops recording the logs and puts {@code io.kchat}'s level back. */
    @Override
    public void close() {
        logs.close();
    }
}
