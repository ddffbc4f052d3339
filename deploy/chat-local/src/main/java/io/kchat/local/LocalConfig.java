package io.kchat.local;

import io.kchat.observability.LogFormat;
import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import java.nio.file.Path;
import java.util.List;

/** Settings of the all-in-one launcher, declared below; docs/configuration.md gives their meaning at length. */
public record LocalConfig(Path dataDir, int httpPort, int kafkaPort, int postgresPort, int s3Port, String nodeId,
                          boolean infraOnly) {

    static final Setting<Path> DATA_DIR = Setting.path("CHAT_DATA_DIR", "./data",
            "where the broker, the database, the media and the stream state are kept between runs");
    static final Setting<Integer> PORT = Setting.integer("CHAT_PORT", 8080, "the gateway's HTTP and WebSocket port");
    static final Setting<Integer> KAFKA_PORT = Setting.integer("KAFKA_PORT", 19092, "the embedded broker's port");
    static final Setting<Integer> POSTGRES_PORT = Setting.integer("POSTGRES_PORT", 15432,
            "the embedded PostgreSQL's port");
    static final Setting<Integer> S3_PORT = Setting.integer("S3_PORT", 19000,
            "the embedded S3 store's port (media)");
    static final Setting<String> NODE_ID = Setting.text("CHAT_NODE_ID", "local-1", "the gateway node's id");
    /** As the services read it, but nothing to set on a developer's machine. */
    static final Setting<String> LOG_FORMAT = Setting.text(LogFormat.SETTING.name(), "text",
            "text: one readable line per event; json: one JSON object per line");

    /** The launcher's own settings; the services it starts read theirs from the same environment. */
    public static List<Setting<?>> settings() {
        return List.of(DATA_DIR, PORT, KAFKA_PORT, POSTGRES_PORT, S3_PORT, NODE_ID, LOG_FORMAT);
    }

    static LocalConfig from(Settings settings, String[] args) {
        boolean infraOnly = false;
        for (String arg : args) {
            if (arg.equals("--infra-only")) {
                infraOnly = true;
            } else {
                throw new IllegalArgumentException("unknown argument " + arg + " (known: --infra-only)");
            }
        }
        return new LocalConfig(
                settings.get(DATA_DIR).toAbsolutePath().normalize(),
                settings.get(PORT),
                settings.get(KAFKA_PORT),
                settings.get(POSTGRES_PORT),
                settings.get(S3_PORT),
                settings.get(NODE_ID),
                infraOnly);
    }
}
