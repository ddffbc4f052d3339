package io.kchat.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * The names a running deployment depends on. Stores name their changelogs ({@code <application>-<store>-changelog}),
 * and a changelog renamed by a refactoring is a new, empty one: an upgraded processor would start from no state.
 * Node names are pinned too, so that a node the DSL would name by counter (and renumber when the topology changes)
 * cannot slip in, and so that no repartition topic appears unnoticed.
 */
class ProcessorTopologyTest {

    private static final TopologyDescription TOPOLOGY =
            ProcessorTopology.build(ProcessorConfig.fromEnv(Map.of())).describe();

    @Test
    void storesKeepTheNamesTheirChangelogsAreCreatedUnder() {
        Set<String> stores = new TreeSet<>();
        TOPOLOGY.subtopologies().forEach(sub -> sub.nodes().forEach(node -> {
            if (node instanceof TopologyDescription.Processor processor) {
                stores.addAll(processor.stores());
            }
        }));

        assertEquals(Set.of("conversation-dedupe", "conversation-receipts-held", "conversation-state",
                        "conversation-message-facts", "conversation-update-dedupe", "user-delivered-held",
                        "user-log", "user-push-due", "user-push-pending", "user-state"),
                stores);
    }

    @Test
    void everyNodeHasItsOwnFixedName() {
        Set<String> nodes = new TreeSet<>();
        TOPOLOGY.subtopologies().forEach(sub -> sub.nodes().forEach(node -> nodes.add(node.name())));

        assertEquals(new TreeSet<>(Set.of(
                "inbound-source", "conversation-commands", "conversation-output-",
                "conversation-output-accepted", "as-chat-message", "messages-sink", "as-message-meta", "message-meta-sink",
                "conversation-output-updates", "as-message-update", "message-updates-sink", "as-update-meta",
                "update-meta-sink",
                "conversation-output-receipts", "as-receipt", "receipts-sink",
                "conversation-output-fan-out", "as-user-command", "fan-out-sink",
                "user-inbound-source", "user-commands", "user-output-",
                "user-output-node-egress", "as-delivery", "node-egress-sink",
                "user-output-presence", "as-presence", "presence-sink",
                "user-output-delivered", "as-delivered-command", "delivered-receipts-sink",
                "user-output-push", "as-push-due", "push-sink")), nodes);
    }

    @Test
    void theTopologyReadsAndWritesCatalogueTopicsOnlyWithoutRepartitioning() {
        Set<String> topics = new TreeSet<>();
        Set<String> sinksNamingTopicsPerRecord = new TreeSet<>();
        TOPOLOGY.subtopologies().forEach(sub -> sub.nodes().forEach(node -> {
            if (node instanceof TopologyDescription.Source source) {
                topics.addAll(source.topicSet());
            } else if (node instanceof TopologyDescription.Sink sink && sink.topicNameExtractor() != null) {
                sinksNamingTopicsPerRecord.add(sink.name());
            } else if (node instanceof TopologyDescription.Sink sink) {
                topics.add(sink.topic());
            }
        }));

        assertEquals(Set.of("chat.inbound", "chat.messages", "chat.message-updates", "chat.message-meta", "chat.receipts",
                "chat.user-inbound", "chat.presence", "chat.push"), topics);
        // the third leg (D18): the egress topic of each node holding a session
        assertEquals(Set.of("node-egress-sink"), sinksNamingTopicsPerRecord);
        assertEquals(2, TOPOLOGY.subtopologies().size(), "one sub-topology per side, no repartition between them");
    }
}
