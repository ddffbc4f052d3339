package io.kchat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Open-loop message load over real sockets through the whole stack: users in conversations of {@code groupSize}
 * (2: direct conversations, i.e. pairs), one socket each. Message i goes to conversation {@code i mod C}, sent by its
 * members in turn, so every user sends {@code rate / users} msgs/s. One instance runs several rates in a row on the
 * same users (a throughput sweep). A conversation's members are consecutive sockets of the fleet, which
 * {@link Gateways} places on consecutive gateways: with several, no two members of a pair share one.
 */
final class ChatLoad implements AutoCloseable {

    record Conversation(String id, List<ChatSocket> members) {
    }

    private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration START_DELAY = Duration.ofMillis(200);
    private static final Duration SETTLE_POLL = Duration.ofMillis(50);

    private final SocketFleet fleet;
    private final List<Conversation> conversations;
    private final int groupSize;
    private final String body;
    private final Pacer pacer = new Pacer(NanoClock.SYSTEM);
    private int runs;

    private ChatLoad(SocketFleet fleet, List<Conversation> conversations, int groupSize, String body) {
        this.fleet = fleet;
        this.conversations = conversations;
        this.groupSize = groupSize;
        this.body = body;
    }

    /** Signs in {@code users} devices, puts them in conversations and waits until every member has heard of its own. */
    static ChatLoad open(BenchContext context, int users, int groupSize, Duration ackInterval, int bodyChars,
                         int concurrency) throws Exception {
        if (groupSize < 2 || users < groupSize || users % groupSize != 0) {
            throw new IllegalArgumentException("users (" + users + ") must be a multiple of the group size ("
                    + groupSize + "), which must be at least 2");
        }
        SocketFleet fleet = SocketFleet.connect(context, users, concurrency, ackInterval);
        try {
            CountDownLatch created = new CountDownLatch(users);
            fleet.sockets().forEach(s -> s.events(new ChatSocket.Events() {
                @Override
                public void conversation(ChatSocket socket, JsonNode frame) {
                    if ("created".equals(frame.path("event").asText())) {
                        created.countDown();
                    }
                }
            }));
            List<Conversation> conversations = new ArrayList<>();
            for (List<Integer> numbers : memberSockets(users, groupSize)) {
                List<ChatSocket> members = numbers.stream().map(fleet.sockets()::get).toList();
                conversations.add(new Conversation(create(context.api(), members), members));
            }
            if (!created.await(SETUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException(created.getCount() + " members never heard of their conversation");
            }
            return new ChatLoad(fleet, conversations, groupSize, "x".repeat(bodyChars));
        } catch (Exception e) {
            fleet.close();
            throw e;
        }
    }

    /**
     * The sockets (by number in the fleet) of each conversation: consecutive runs of {@code groupSize}. Socket
     * {@code i} is on gateway {@code i mod G} ({@link Gateways#of}), so consecutive members are on different gateways.
     */
    static List<List<Integer>> memberSockets(int users, int groupSize) {
        List<List<Integer>> conversations = new ArrayList<>();
        for (int first = 0; first + groupSize <= users; first += groupSize) {
            List<Integer> members = new ArrayList<>();
            for (int m = first; m < first + groupSize; m++) {
                members.add(m);
            }
            conversations.add(List.copyOf(members));
        }
        return List.copyOf(conversations);
    }

    private static String create(BenchApi api, List<ChatSocket> members) throws Exception {
        BenchApi.Login owner = members.getFirst().account();
        if (members.size() == 2) {
            return api.directConversation(owner, members.get(1).account());
        }
        return api.groupConversation(owner, "bench group",
                members.subList(1, members.size()).stream().map(ChatSocket::userId).toList());
    }

    SocketFleet fleet() {
        return fleet;
    }

    /** One run at {@code rate}: warm-up, measured window, then up to {@code drain} for the stragglers. */
    LoadResult run(String label, double rate, Duration warmup, Duration measured, Duration drain)
            throws InterruptedException {
        return run(label, rate, warmup, measured, drain, Optional.empty());
    }

    /** The same, with what the stack spent in the measured window when {@code probe} is given. */
    LoadResult run(String label, double rate, Duration warmup, Duration measured, Duration drain,
                   Optional<StackProbe> probe) throws InterruptedException {
        String prefix = "r" + (++runs) + "-";
        OpenLoopSchedule schedule = new OpenLoopSchedule(System.nanoTime() + START_DELAY.toNanos(), rate, warmup,
                measured);
        MessageLedger ledger = new MessageLedger(schedule, groupSize - 1);
        var before = probe.map(p -> p.takeAt(schedule.measureStartNanos()));
        // the partitions' spread is read at the end of the window, with the rest
        var after = probe.map(p -> p.takeAt(schedule.measureEndNanos(), true));
        LongAdder errors = new LongAdder();
        List<ChatSocket> sockets = fleet.sockets();
        Gateways gateways = fleet.gateways();
        LongAdder[] windowDeliveries = new LongAdder[gateways.count()];
        Arrays.setAll(windowDeliveries, g -> new LongAdder());
        for (int s = 0; s < sockets.size(); s++) {
            sockets.get(s).events(new StageEvents(prefix, ledger, errors, windowDeliveries[gateways.of(s)]));
        }
        int conversationCount = conversations.size();
        pacer.run(schedule, (i, intended, actual) -> {
            Conversation conversation = conversations.get(i % conversationCount);
            ChatSocket sender = conversation.members().get((i / conversationCount) % groupSize);
            ledger.sent(i, intended, actual);
            String id = StageEvents.id(prefix, i);
            sender.send(ChatSocket.sendFrame(id, id, conversation.id(), body));
        });
        long deadline = System.nanoTime() + drain.toNanos();
        while (!ledger.settled() && System.nanoTime() < deadline) {
            Thread.sleep(SETTLE_POLL);
        }
        fleet.sockets().forEach(s -> s.events(ChatSocket.Events.NONE));
        LoadResult result = ledger.result(label);
        if (before.isEmpty() || after.isEmpty()) {
            return result;
        }
        StackProbe.Snapshot start = before.get().join();
        StackProbe.Snapshot end = after.get().join();
        LoadResult costed = result.withCost(WindowCost.between(start, end, result.deliveredInWindow()));
        Instances instances = new Instances(Duration.ofNanos(end.nanos() - start.nanos()),
                result.deliveredInWindow(), Instances.cpuBetween(start.processCpu(), end.processCpu()), end.groups(),
                gatewayLoads(windowDeliveries));
        return instances.worthReporting() ? costed.withInstances(instances) : costed;
    }

    /** Each gateway's sockets, those of them still open, and the deliveries they received in the window. */
    private List<Instances.GatewayLoad> gatewayLoads(LongAdder[] windowDeliveries) {
        Gateways gateways = fleet.gateways();
        int[] placed = new int[gateways.count()];
        long[] open = new long[gateways.count()];
        List<ChatSocket> sockets = fleet.sockets();
        for (int s = 0; s < sockets.size(); s++) {
            int g = gateways.of(s);
            placed[g]++;
            open[g] += sockets.get(s) != null && sockets.get(s).isOpen() ? 1 : 0;
        }
        List<Instances.GatewayLoad> loads = new ArrayList<>();
        for (int g = 0; g < gateways.count(); g++) {
            loads.add(new Instances.GatewayLoad(gateways.bases().get(g), placed[g], open[g],
                    windowDeliveries[g].sum()));
        }
        return loads;
    }

    @Override
    public void close() {
        fleet.close();
    }
}
