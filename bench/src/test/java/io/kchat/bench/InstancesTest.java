package io.kchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class InstancesTest {

    private static final StackPid INFRA = new StackPid("infra", 10);
    private static final StackPid PROCESSOR_1 = new StackPid("processor-1", 11);
    private static final StackPid PROCESSOR_2 = new StackPid("processor-2", 12);

    private static Instances.ProcessCpu cpu(StackPid process, long millis) {
        return new Instances.ProcessCpu(process, Duration.ofMillis(millis));
    }

    @Test
    void eachProcessSpentItsOwnDifferenceMatchedByPid() {
        List<Instances.ProcessCpu> window = Instances.cpuBetween(
                List.of(cpu(INFRA, 1_000), cpu(PROCESSOR_1, 5_000), cpu(PROCESSOR_2, 7_000)),
                List.of(cpu(INFRA, 3_500), cpu(PROCESSOR_2, 7_400), cpu(PROCESSOR_1, 9_000),
                        cpu(new StackPid("late", 99), 100)));

        assertEquals(List.of(cpu(INFRA, 2_500), cpu(PROCESSOR_2, 400), cpu(PROCESSOR_1, 4_000)), window,
                "a process not there at the start is left out rather than charged all its CPU");
    }

    @Test
    void oneJvmOnOneUrlHasNoInstancesBlock() {
        List<Instances.GatewayLoad> oneGateway = List.of(gateway(18080, 100, 100, 5_000));
        assertFalse(new Instances(Duration.ofSeconds(10), 5_000, List.of(cpu(new StackPid("", 7), 9_000)), List.of(),
                oneGateway).worthReporting());
        assertTrue(new Instances(Duration.ofSeconds(10), 5_000, List.of(cpu(INFRA, 1), cpu(PROCESSOR_1, 1)),
                List.of(), oneGateway).worthReporting());
        assertTrue(new Instances(Duration.ofSeconds(10), 5_000, List.of(), List.of(),
                List.of(gateway(18080, 50, 50, 2_500), gateway(18081, 50, 50, 2_500))).worthReporting());
    }

    @Test
    void theBlockGivesEachProcessItsCpuAndEachGatewayItsShare() {
        Instances instances = new Instances(Duration.ofSeconds(10), 1_000,
                List.of(cpu(INFRA, 1_000), cpu(PROCESSOR_1, 3_000), cpu(PROCESSOR_2, 1_000)), List.of(),
                List.of(gateway(18080, 50, 50, 600), gateway(18081, 50, 49, 400)));

        List<String> lines = instances.lines();

        assertEquals(List.of(
                "  instances (what each carried in the 10.0 s window):",
                "    infra (pid 10)        CPU 1.0 s = 0.10 cores, 20.0 % of the stack's, 1.000 ms per delivered message",
                "    processor-1 (pid 11)  CPU 3.0 s = 0.30 cores, 60.0 % of the stack's, 3.000 ms per delivered message",
                "    processor-2 (pid 12)  CPU 1.0 s = 0.10 cores, 20.0 % of the stack's, 1.000 ms per delivered message",
                "    gateway http://127.0.0.1:18080  50 sockets (50.0 %), 50 open after the run; 600 deliveries "
                        + "received in the window (60.0 %)",
                "    gateway http://127.0.0.1:18081  50 sockets (50.0 %), 49 open after the run; 400 deliveries "
                        + "received in the window (40.0 %)"), lines);
    }

    @Test
    void aGroupListsEachMembersPartitionsPerTopic() {
        MemberDescription first = new MemberDescription("kchat-delivery-archive-0a1b2c3d-aaaa-bbbb-cccc-111122223333",
                Optional.empty(), "kchat-delivery-archive", "/127.0.0.1", new MemberAssignment(Set.of(
                        new TopicPartition("chat.messages", 0), new TopicPartition("chat.messages", 2),
                        new TopicPartition("chat.conversation-events", 1))));
        MemberDescription second = new MemberDescription("kchat-delivery-archive-9f9f9f9f-aaaa-bbbb-cccc-444455556666",
                Optional.empty(), "kchat-delivery-archive", "/127.0.0.1", new MemberAssignment(Set.of(
                        new TopicPartition("chat.messages", 1))));
        ConsumerGroupDescription described = new ConsumerGroupDescription("kchat-delivery-archive", false,
                List.of(second, first), "range", GroupType.CLASSIC, GroupState.STABLE, Node.noNode(), Set.of(),
                Optional.empty(), Optional.empty());

        GroupSpread spread = GroupSpread.of(described);

        assertEquals(Map.of("chat.conversation-events", 1, "chat.messages", 2),
                spread.members().getFirst().partitionsByTopic(), "members sorted by member id, counted per topic");
        assertEquals(List.of(
                "      group kchat-delivery-archive (Stable, 2 members, 4 partitions assigned):",
                "        kchat-delivery-archive on /127.0.0.1 [member ...22223333]: 3 partitions "
                        + "(chat.conversation-events 1, chat.messages 2)",
                "        kchat-delivery-archive on /127.0.0.1 [member ...55556666]: 1 partition (chat.messages 1)"),
                spread.lines("      "));
    }

    @Test
    void aGroupThatCouldNotBeDescribedOrHasNoMembersSaysSo() {
        assertEquals(List.of("  group p-kchat-delivery-typing: not described (GroupIdNotFoundException: gone)"),
                GroupSpread.unreadable("p-kchat-delivery-typing", "GroupIdNotFoundException: gone").lines("  "));
        ConsumerGroupDescription empty = new ConsumerGroupDescription("kchat-processor", false, List.of(), "",
                GroupType.CLASSIC, GroupState.EMPTY, Node.noNode(), Set.of(), Optional.empty(), Optional.empty());
        assertEquals(List.of("group kchat-processor (Empty, 0 members, 0 partitions assigned): no members"),
                GroupSpread.of(empty).lines(""));
        assertEquals(List.of("p-kchat-processor", "p-kchat-delivery-archive", "p-kchat-delivery-presence",
                "p-kchat-delivery-typing"), GroupSpread.groupIds("p-"));
    }

    @Test
    void theGroupsFollowTheProcessesAndGatewaysInTheBlock() {
        GroupSpread group = new GroupSpread("kchat-processor", "Stable", List.of(new GroupSpread.Member(
                "kchat-processor-1234-StreamThread-1-consumer", "/127.0.0.1", "m-1", Map.of("chat.inbound", 6))), "");
        List<String> lines = new Instances(Duration.ofSeconds(2), 0, List.of(cpu(INFRA, 500), cpu(PROCESSOR_1, 0)),
                List.of(group), List.of(gateway(18080, 2, 2, 0))).lines();

        assertTrue(lines.get(1).endsWith("NaN ms per delivered message"), "no deliveries: no cost per delivery");
        assertEquals("    partitions at the end of the window, per member of each consumer group:", lines.get(4));
        assertEquals("      group kchat-processor (Stable, 1 member, 6 partitions assigned):", lines.get(5));
        assertEquals("        kchat-processor-1234-StreamThread-1-consumer on /127.0.0.1 [member ...m-1]: 6 partitions "
                + "(chat.inbound 6)", lines.get(6));
    }

    @Test
    void theBlockComesAfterEveryLineAnOlderReportHas() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(0, 10, Duration.ofSeconds(1), Duration.ofSeconds(1));
        LoadResult plain = new MessageLedger(schedule, 1).result("stack");
        Instances instances = new Instances(Duration.ofSeconds(1), 0, List.of(cpu(INFRA, 1), cpu(PROCESSOR_1, 1)),
                List.of(), List.of());

        List<String> before = plain.lines();
        List<String> after = plain.withInstances(instances).lines();

        assertEquals(before, after.subList(0, before.size()));
        assertEquals(instances.lines(), after.subList(before.size(), after.size()));
    }

    private static Instances.GatewayLoad gateway(int port, int sockets, long open, long deliveries) {
        return new Instances.GatewayLoad(URI.create("http://127.0.0.1:" + port), sockets, open, deliveries);
    }
}
