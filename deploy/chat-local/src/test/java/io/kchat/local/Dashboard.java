package io.kchat.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Grafana dashboard in {@code deploy/grafana}: the metric names its panels query, by the row they are in. A name
 * is an identifier with one of the prefixes the services' meters have ({@code kchat_}, {@code kafka_},
 * {@code jvm_}, {@code process_}, {@code system_}); PromQL functions and label names have none of them.
 */
final class Dashboard {

    static final Path FILE = Path.of("deploy", "grafana", "kchat-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b(?:kchat|kafka|jvm|process|system)_[a-z0-9_]+\\b");

    private Dashboard() {
    }

    /** Row title to the metric names queried by the panels under it. */
    static Map<String, Set<String>> metricsByRow() {
        JsonNode dashboard = read();
        Map<String, Set<String>> byRow = new LinkedHashMap<>();
        String row = "(no row)";
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                row = panel.path("title").asText();
                continue;
            }
            for (JsonNode target : panel.path("targets")) {
                Matcher names = METRIC.matcher(target.path("expr").asText());
                while (names.find()) {
                    byRow.computeIfAbsent(row, r -> new TreeSet<>()).add(names.group());
                }
            }
        }
        return byRow;
    }

    private static JsonNode read() {
        // the module's directory when run by Maven; the repository root when run from there
        Path file = Files.exists(FILE) ? FILE : Path.of("..", "..").resolve(FILE);
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard " + file.toAbsolutePath(), e);
        }
    }
}
