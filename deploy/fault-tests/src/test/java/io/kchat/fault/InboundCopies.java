package io.kchat.fault;

import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.InboundCommand;
import io.kchat.events.Member;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The copies of conversation changes on a run's {@code chat.inbound}: the gateway publishes each change once,
 * the CDC relay copies its outbox row at least once more. Read incrementally ({@link #refresh}).
 */
final class InboundCopies implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** One copy of a change: when it was produced, and the members it carries. */
    record Copy(long timestamp, Set<String> members) {
    }

    private final TopicReader<InboundCommand> inbound;
    private final Map<String, Map<Long, List<Copy>>> copies = new HashMap<>();
    private final Map<String, Long> newest = new HashMap<>();
    private final Map<String, Integer> older = new HashMap<>();

    InboundCopies(Stack stack) {
        inbound = new TopicReader<>(stack.bootstrapServers(), stack.topics().inbound(), "read_uncommitted");
    }

    /** Reads what was added since the last call. */
    void refresh() {
        for (ConsumerRecord<String, InboundCommand> record : inbound.readToEnd(READ_TIMEOUT)) {
            if (record.value().getCommand() instanceof ConversationChanged change) {
                ConversationSnapshot snapshot = change.getConversation();
                String conversationId = snapshot.getConversationId();
                copies.computeIfAbsent(conversationId, c -> new HashMap<>())
                        .computeIfAbsent(snapshot.getVersion(), v -> new ArrayList<>())
                        .add(new Copy(record.timestamp(), snapshot.getMembers().stream().map(Member::getUserId)
                                .collect(Collectors.toUnmodifiableSet())));
                // one conversation, one partition: this is the order the processor reads them in
                if (snapshot.getVersion() < newest.getOrDefault(conversationId, 0L)) {
                    older.merge(conversationId, 1, Integer::sum);
                }
                newest.merge(conversationId, snapshot.getVersion(), Math::max);
            }
        }
    }

    /** The copies of one version, in log order. */
    List<Copy> of(String conversationId, long version) {
        return versions(conversationId).getOrDefault(version, List.of());
    }

    /** Every version of the conversation with copies. */
    Map<Long, List<Copy>> versions(String conversationId) {
        return copies.getOrDefault(conversationId, Map.of());
    }

    /** Copies that came after a newer version of their conversation: what the processor must ignore as old. */
    int olderThanTheirPredecessors(String conversationId) {
        return older.getOrDefault(conversationId, 0);
    }

    @Override
    public void close() {
        inbound.close();
    }
}
