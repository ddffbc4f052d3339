package io.kchat.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * How one consumer group of the stack had its partitions spread over its members when it was described: for each
 * member (client id, host, the tail of its member id), how many partitions of each topic it was assigned.
 *
 * @param state   the group's state as the broker gave it (e.g. Stable), or "unknown"
 * @param members sorted by client id, then member id
 * @param error   why the group could not be described; empty when it was
 */
record GroupSpread(String groupId, String state, List<Member> members, String error) {

    /** The stack's groups without their prefix: the processor's application id, the delivery-service's loops. */
    static final List<String> STACK_GROUPS = List.of("kchat-processor", "kchat-delivery-archive",
            "kchat-delivery-presence", "kchat-delivery-typing");
    /** Characters of a member id shown: the delivery-service's instances share one client id per group. */
    private static final int MEMBER_TAIL = 8;

    /** @param partitionsByTopic topic → partitions of it assigned to the member, by topic name */
    record Member(String clientId, String host, String memberId, Map<String, Integer> partitionsByTopic) {

        Member {
            partitionsByTopic = Map.copyOf(partitionsByTopic);
        }

        int partitions() {
            return partitionsByTopic.values().stream().mapToInt(Integer::intValue).sum();
        }

        String line() {
            StringBuilder text = new StringBuilder(clientId).append(" on ").append(host);
            if (!memberId.isEmpty()) {
                text.append(" [member ...").append(memberId.substring(Math.max(0, memberId.length() - MEMBER_TAIL)))
                        .append(']');
            }
            text.append(": ").append(partitions()).append(partitions() == 1 ? " partition" : " partitions");
            if (!partitionsByTopic.isEmpty()) {
                StringBuilder topics = new StringBuilder();
                new TreeMap<>(partitionsByTopic).forEach((topic, count) ->
                        topics.append(topics.isEmpty() ? "" : ", ").append(topic).append(' ').append(count));
                text.append(" (").append(topics).append(')');
            }
            return text.toString();
        }
    }

    GroupSpread {
        members = members.stream().sorted(Comparator.comparing(Member::clientId).thenComparing(Member::memberId))
                .toList();
    }

    /** The stack's group ids under its topic prefix ({@code CHAT_TOPIC_PREFIX}, which prefixes them too). */
    static List<String> groupIds(String topicPrefix) {
        return STACK_GROUPS.stream().map(g -> topicPrefix + g).toList();
    }

    static GroupSpread of(ConsumerGroupDescription group) {
        List<Member> members = new ArrayList<>();
        for (MemberDescription member : group.members()) {
            Map<String, Integer> byTopic = new TreeMap<>();
            for (TopicPartition partition : member.assignment().topicPartitions()) {
                byTopic.merge(partition.topic(), 1, Integer::sum);
            }
            members.add(new Member(member.clientId(), member.host(), member.consumerId(), byTopic));
        }
        return new GroupSpread(group.groupId(), String.valueOf(group.groupState()), members, "");
    }

    static GroupSpread unreadable(String groupId, String error) {
        return new GroupSpread(groupId, "unknown", List.of(), error);
    }

    List<String> lines(String indent) {
        List<String> lines = new ArrayList<>();
        if (!error.isEmpty()) {
            lines.add(indent + "group " + groupId + ": not described (" + error + ")");
            return lines;
        }
        int partitions = members.stream().mapToInt(Member::partitions).sum();
        lines.add(indent + "group " + groupId + " (" + state + ", " + members.size()
                + (members.size() == 1 ? " member, " : " members, ") + partitions + " partitions assigned)"
                + (members.isEmpty() ? ": no members" : ":"));
        members.forEach(m -> lines.add(indent + "  " + m.line()));
        return lines;
    }
}
