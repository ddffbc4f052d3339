package io.kchat.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Strimzi KafkaTopics and docs/topics.md against the catalogue the services provision from. */
class TopicsTest {

    private static final String DOC = "docs/topics.md";
    private static final List<String> DOC_HEADER = List.of(
            "topic", "key", "value", "partitions", "retention", "cleanup.policy", "written by", "read by");
    private static final Pattern RETENTION = Pattern.compile("(\\d+) (d|h|min)");
    private static final KubernetesManifests K8S = KubernetesManifests.load();

    /** What TopicProvisioner would create: name to partitions, retention.ms and the topic's own configs. */
    private static Map<String, Map<String, String>> catalogue() {
        Map<String, Map<String, String>> topics = new TreeMap<>();
        for (Topic<?, ?> topic : TopicCatalogue.DEFAULT.shared()) {
            topics.put(topic.name(), expected(topic));
        }
        return topics;
    }

    private static Map<String, String> expected(Topic<?, ?> topic) {
        Map<String, String> expected = new TreeMap<>(topic.config());
        expected.put("partitions", Integer.toString(topic.partitions()));
        expected.put("retention.ms", topic.retention() == null ? "-1" : Long.toString(topic.retention().toMillis()));
        return expected;
    }

    @Test
    void strimziTopicsAreTheCatalogue() {
        Map<String, Map<String, String>> declared = new TreeMap<>();
        for (Map<String, Object> topic : K8S.ofKind("KafkaTopic")) {
            String name = Yaml.stringAt(topic, "spec", "topicName");
            name = name != null ? name : Yaml.stringAt(topic, "metadata", "name");
            Map<String, String> actual = new TreeMap<>();
            Yaml.mapAt(topic, "spec", "config").forEach((k, v) -> actual.put(k, String.valueOf(v)));
            actual.put("partitions", String.valueOf(Yaml.at(topic, "spec", "partitions")));
            declared.put(name, actual);
        }
        assertEquals(catalogue(), declared, "deploy/k8s/kafka/topics.yaml must create what the services would");
    }

    @Test
    void strimziTopicsBelongToTheClusterAndReplicateLikeServiceCreatedTopics() {
        Set<String> clusters = K8S.ofKind("Kafka").stream().map(k -> Yaml.stringAt(k, "metadata", "name"))
                .collect(Collectors.toSet());
        assertFalse(clusters.isEmpty(), "a Strimzi Kafka resource");
        String replicationFactor = K8S.configMap("kchat-common").get("KAFKA_REPLICATION_FACTOR");
        for (Map<String, Object> topic : K8S.ofKind("KafkaTopic")) {
            String name = Yaml.stringAt(topic, "metadata", "name");
            assertTrue(clusters.contains(Yaml.stringAt(topic, "metadata", "labels", "strimzi.io/cluster")),
                    name + ": strimzi.io/cluster names a declared Kafka");
            // egress topics, changelogs and Debezium's offsets are created with KAFKA_REPLICATION_FACTOR
            assertEquals(replicationFactor, String.valueOf(Yaml.at(topic, "spec", "replicas")),
                    name + ": replicas equal KAFKA_REPLICATION_FACTOR of config/common.env");
        }
    }

    @Test
    void topicsDocumentListsTheCatalogue() {
        List<MarkdownTables.Table> tables = MarkdownTables.withHeader(Repository.read(DOC), DOC_HEADER);
        assertEquals(1, tables.size(), DOC + ": one table headed " + DOC_HEADER);
        Map<String, Map<String, String>> documented = new TreeMap<>();
        Map<String, Map<String, String>> expected = new HashMap<>(catalogue());
        for (List<String> row : tables.getFirst().rows()) {
            String name = row.get(0);
            Map<String, String> values = new TreeMap<>();
            values.put("partitions", row.get(3));
            values.put("retention.ms", retentionMillis(row.get(4)));
            if (!row.get(5).equals("delete")) {
                values.put("cleanup.policy", row.get(5));
            }
            documented.put(name, values);
        }
        Topic<?, ?> egress = TopicCatalogue.DEFAULT.egress("<nodeId>");
        expected.put(egress.name(), expected(egress));
        assertEquals(new TreeMap<>(expected), documented, DOC + " disagrees with TopicCatalogue");
    }

    private static String retentionMillis(String cell) {
        if (cell.equals("infinite")) {
            return "-1";
        }
        Matcher m = RETENTION.matcher(cell);
        assertTrue(m.matches(), "retention like '37 d', '1 h', '1 min' or 'infinite': " + cell);
        long amount = Long.parseLong(m.group(1));
        Duration duration = switch (m.group(2)) {
            case "d" -> Duration.ofDays(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofMinutes(amount);
        };
        return Long.toString(duration.toMillis());
    }
}
