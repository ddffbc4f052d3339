package io.kchat.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Formats a KRaft log directory once (what {@code kafka-storage.sh format} does) and reads its cluster id. */
final class KraftStorage {

    private static final Logger LOG = LoggerFactory.getLogger(KraftStorage.class);
    private static final String META_PROPERTIES = "meta.properties";

    private KraftStorage() {
    }

    static boolean isFormatted(Path logDir) {
        return Files.exists(logDir.resolve(META_PROPERTIES));
    }

    /** Formats {@code logDir} with a new random cluster id unless it already holds meta.properties. */
    static void formatIfNeeded(KafkaConfig config, Path logDir) {
        if (isFormatted(logDir)) {
            LOG.debug("Kafka log dir {} already formatted", logDir);
            return;
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(printStream)
                    .setNodeId(config.nodeId())
                    .setClusterId(clusterId)
                    .setControllerListenerName(config.controllerListenerNames().get(0))
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setHasDynamicQuorum(false)
                    .setIgnoreFormatted(false)
                    .addDirectory(logDir.toAbsolutePath().toString())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format Kafka log dir " + logDir, e);
        }
        LOG.info("Formatted Kafka log dir {} with cluster id {}: {}", logDir, clusterId,
                output.toString(StandardCharsets.UTF_8).strip());
    }

    static String clusterId(Path logDir) {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(logDir.resolve(META_PROPERTIES))) {
            meta.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + META_PROPERTIES + " in " + logDir, e);
        }
        return meta.getProperty("cluster.id");
    }
}
