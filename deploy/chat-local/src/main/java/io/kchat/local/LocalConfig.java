package io.kchat.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * Settings of the all-in-one launcher: CHAT_DATA_DIR (default ./data, kept between runs), CHAT_PORT
 * (8080), KAFKA_PORT (19092), POSTGRES_PORT (15432), CHAT_NODE_ID (local-1).
 */
record LocalConfig(Path dataDir, int httpPort, int kafkaPort, int postgresPort, String nodeId, boolean infraOnly) {

    static LocalConfig from(Map<String, String> env, String[] args) {
        boolean infraOnly = false;
        for (String arg : args) {
            if (arg.equals("--infra-only")) {
                infraOnly = true;
            } else {
                throw new IllegalArgumentException("unknown argument " + arg + " (known: --infra-only)");
            }
        }
        return new LocalConfig(
                Path.of(env.getOrDefault("CHAT_DATA_DIR", "./data")).toAbsolutePath().normalize(),
                Integer.parseInt(env.getOrDefault("CHAT_PORT", "8080")),
                Integer.parseInt(env.getOrDefault("KAFKA_PORT", "19092")),
                Integer.parseInt(env.getOrDefault("POSTGRES_PORT", "15432")),
                env.getOrDefault("CHAT_NODE_ID", "local-1"),
                infraOnly);
    }
}
