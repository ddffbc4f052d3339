package io.kchat.fault;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.fault.Violation.Rule;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of a fault run and their devices: {@code users} accounts, one device each plus a second one for
 * the first {@value #WITH_TWO_DEVICES} users, all connected; a direct conversation between each user and the
 * next (a ring), one group of everyone, and a churned group: the first user owns it and sends into it with
 * the second, while the others are added and removed during the load ({@link MembershipChurn}). Gateways are
 * assigned round-robin. {@link #finishAndCheck} ends a run: every send ok'd, a probe message into every
 * churned group, the system quiet, every device reconnected and synced, the archive complete, then the
 * {@link DeliveryChecker} over all of it.
 */
final class ChatWorld implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChatWorld.class);
    private static final Duration ACK_INTERVAL = Duration.ofMillis(300);
    static final int WITH_TWO_DEVICES = 2;
    private static final int HISTORY_PAGE = 100;
    /**
     * How often the churned group changes while the load runs: more often than a second, yet with a few of the
     * group's messages (about two a second) between two changes.
     */
    private static final Duration CHURN_INTERVAL = Duration.ofMillis(700);
    private static final Set<Rule> INCOMPLETE = EnumSet.of(Rule.MISSING_DELIVERY, Rule.SEND_UNRESOLVED,
            Rule.SEQ_GAP, Rule.MEMBERSHIP_CHANGES);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(4,
            Thread.ofPlatform().daemon().name("client-timer-", 0).factory());
    private final Supplier<List<Integer>> ports;
    private final Rest rest;
    private final List<ChatClient> clients = new ArrayList<>();
    private final List<Rest.Login> logins = new ArrayList<>();
    /** The conversations whose membership stays as created. */
    private final Map<String, Set<String>> members = new LinkedHashMap<>();
    private final Map<ChatClient, List<String>> conversationsOf = new LinkedHashMap<>();
    private final List<LoadDriver> loads = new ArrayList<>();
    private final List<MembershipChurn> churns = new ArrayList<>();
    /** Found before the end of the run ({@link #awaitDeliveredLive}); judged with the rest. */
    private final List<Violation> earlier = new ArrayList<>();
    private MembershipChurn churn;

    private ChatWorld(Supplier<List<Integer>> ports) {
        this.ports = ports;
        this.rest = new Rest(http, ports);
    }

    /** Registers, logs in and connects everyone, then creates the conversations. */
    static ChatWorld create(Supplier<List<Integer>> ports, int users, int gateways) {
        ChatWorld world = new ChatWorld(ports);
        try {
            world.populate(users, gateways);
        } catch (RuntimeException | Error e) {
            world.close();
            throw e;
        }
        return world;
    }

    Rest rest() {
        return rest;
    }

    List<ChatClient> clients() {
        return List.copyOf(clients);
    }

    /** The users' second devices. */
    List<ChatClient> secondDevices() {
        return clients.subList(clients.size() - WITH_TWO_DEVICES, clients.size());
    }

    /** Whether the client's user has no other device in this world. */
    boolean isOnlyDevice(ChatClient client) {
        return clients.stream().filter(other -> other.userId().equals(client.userId())).count() == 1;
    }

    /** The access token of a client's login, for REST calls as that user. */
    String tokenOf(ChatClient client) {
        return logins.get(clients.indexOf(client)).accessToken();
    }

    /** Starts the messages and the membership changes of the churned group. */
    LoadDriver startLoad(double perSecond, long seed) {
        LoadDriver load = LoadDriver.start(clients, conversationsOf, perSecond, seed);
        loads.add(load);
        churn.start(CHURN_INTERVAL, seed);
        return load;
    }

    /**
     * More churned groups, owned by the user {@code owner} (an index), the other users their candidates; judged
     * like the world's own churned group at the end. The caller starts, bursts and stops it; no load messages go
     * into these groups, only the final probes.
     */
    MembershipChurn churn(String name, int owner, int groups, int createEvery, int maxGroups) {
        Rest.Login login = logins.get(owner);
        List<String> others = userIds().stream().filter(id -> !id.equals(login.userId())).toList();
        MembershipChurn more = MembershipChurn.create(name, rest, login, List.of(), others, groups, createEvery,
                maxGroups);
        churns.add(more);
        return more;
    }

    /** The world's own churned group. */
    MembershipChurn worldChurn() {
        return churn;
    }

    /** The user's first device. */
    ChatClient firstDeviceOf(String userId) {
        return clients.stream().filter(c -> c.userId().equals(userId)).findFirst().orElseThrow();
    }

    /** Waits until accepted messages reach their members again (after a fault, the system has recovered). */
    void awaitEchoes(int more, Duration timeout) {
        long start = System.nanoTime();
        int target = echoes() + more;
        Waits.until(() -> echoes() >= target, timeout, "fewer than " + more + " new echoes");
        log.info("{} more echoes arrived in {} ms", more, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /**
     * Ends the load, then waits up to {@code bound} for every accepted message (and membership change) to reach every
     * device of every member while the devices stay connected: what a device gets only after reconnecting does not
     * count. A device still missing something after {@code bound}, or one that had to reconnect meanwhile, is a
     * {@link Rule#NOT_DELIVERED_LIVE} violation, judged at the end with the others. Call it last before
     * {@link #finishAndCheck}: the load does not start again.
     */
    void awaitDeliveredLive(String step, Duration bound) {
        loads.forEach(LoadDriver::stop);
        churns.forEach(MembershipChurn::stop);
        Map<ChatClient, Integer> connections = new LinkedHashMap<>();
        clients.forEach(c -> connections.put(c, c.connections()));
        long start = System.nanoTime();
        boolean complete = Waits.poll(() -> incompleteness().isEmpty(), bound);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        List<String> reconnected = clients.stream().filter(c -> c.connections() != connections.get(c))
                .map(ChatClient::label).toList();
        if (!complete) {
            List<Violation> missing = checker().check(histories()).stream()
                    .filter(v -> INCOMPLETE.contains(v.rule())).toList();
            earlier.add(new Violation(Rule.NOT_DELIVERED_LIVE, step + ": " + missing.size()
                    + " things still missing at connected devices after " + bound + ", first: "
                    + missing.stream().limit(5).map(v -> v.rule() + " " + v.detail()).toList()));
        }
        if (!reconnected.isEmpty()) {
            earlier.add(new Violation(Rule.NOT_DELIVERED_LIVE, step + ": devices reconnected while waiting: "
                    + reconnected));
        }
        log.info("{}: {} at every connected device after {} ms (bound {}), reconnected meanwhile: {}", step,
                complete ? "everything" : "NOT everything", took, bound, reconnected);
    }

    /**
     * Ends the run and judges it: every send ok'd (retried as needed), every accepted message delivered, then
     * every device reconnected and synced, the archive caught up, then the checker over everything the clients
     * got and the archive.
     */
    void finishAndCheck(String run, LoadDriver load, Duration timeout, LongSupplier healedByChecks) {
        load.stop();
        churns.forEach(MembershipChurn::stop);
        churns.forEach(c -> c.probe(firstDeviceOf(c.ownerId())));
        long start = System.nanoTime();
        Waits.until(() -> clients.stream().allMatch(c -> c.unconfirmedCount() == 0), timeout,
                () -> "sends still without ok: " + clients.stream().mapToInt(ChatClient::unconfirmedCount).sum());
        boolean quiet = Waits.poll(() -> incompleteness().isEmpty(), timeout);
        log.info("quiesced ({}) after {} ms", quiet ? "complete" : "INCOMPLETE",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        clients.forEach(ChatClient::reconnect);
        Waits.until(() -> clients.stream().allMatch(ChatClient::isSynced), timeout,
                () -> "devices not synced after reconnecting: "
                        + clients.stream().filter(c -> !c.isSynced()).map(ChatClient::label).toList());
        List<DeviceHistory> histories = histories();
        Map<String, List<JsonNode>> archive = archive(histories, timeout);
        log.info("archive: {} messages in {} conversations", archive.values().stream().mapToInt(List::size).sum(),
                archive.size());
        List<Violation> violations = new ArrayList<>(earlier);
        violations.addAll(new DeliveryChecker(members, churned(true), false).check(histories, archive));
        logSummary(load, violations);
        RunVerdict verdict = RunVerdict.of(run, load.okd(), histories, archive, violations,
                healedByChecks.getAsLong());
        log.info("verdict {}", verdict);
        verdict.append();
        if (!violations.isEmpty()) {
            fail(violations.size() + " violations, first: " + violations.stream().limit(25)
                    .map(v -> v.rule() + ": " + v.detail()).collect(Collectors.joining("\n  ", "\n  ", "")));
        }
    }

    @Override
    public void close() {
        loads.forEach(LoadDriver::close);
        churns.forEach(MembershipChurn::close);
        clients.forEach(ChatClient::close);
        timers.shutdownNow();
        http.close();
    }

    private void populate(int users, int gateways) {
        String password = "fault-" + UUID.randomUUID();
        List<String> userIds = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            String username = "user" + i;
            rest.register(username, password);
            logins.add(rest.login(username, password, "d1"));
            userIds.add(logins.getLast().userId());
        }
        for (int i = 0; i < WITH_TWO_DEVICES; i++) {
            logins.add(rest.login("user" + i, password, "d2"));
        }
        log.info("world: {} users registered and logged in", users);
        for (int i = 0; i < logins.size(); i++) {
            ChatClient client = new ChatClient(logins.get(i), http, ports, i % gateways, timers);
            clients.add(client);
            client.connect();
        }
        Waits.until(() -> clients.stream().allMatch(ChatClient::isSynced), Duration.ofSeconds(60),
                "clients not synced");
        log.info("world: {} devices connected and synced", clients.size());
        long tick = ACK_INTERVAL.toMillis();
        timers.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        for (int i = 0; i < users; i++) {
            int next = (i + 1) % users;
            String direct = rest.createDirect(logins.get(i).accessToken(), userIds.get(next));
            members.put(direct, Set.of(userIds.get(i), userIds.get(next)));
        }
        members.put(rest.createGroup(logins.get(0).accessToken(), "everyone", userIds.subList(1, users)),
                Set.copyOf(userIds));
        // the first two users send into it and stay; the others come and go
        churn = MembershipChurn.create("churn", rest, logins.get(0), List.of(userIds.get(1)),
                userIds.subList(2, users), 1, 0, 1);
        churns.add(churn);
        String churned = churn.conversations().iterator().next();
        for (ChatClient client : clients) {
            List<String> mine = new ArrayList<>(members.entrySet().stream()
                    .filter(e -> e.getValue().contains(client.userId())).map(Map.Entry::getKey).toList());
            if (client.userId().equals(userIds.get(0)) || client.userId().equals(userIds.get(1))) {
                mine.add(churned);
            }
            conversationsOf.put(client, mine);
        }
        log.info("world: {} users, {} devices, {} conversations and a churned group", users, clients.size(),
                members.size());
    }

    /**
     * Every conversation's history as REST pages it, once the archive reaches the highest seq the clients got
     * (it reads committed output, so it may trail the live path a little); after {@code timeout} as it is.
     */
    private Map<String, List<JsonNode>> archive(List<DeviceHistory> histories, Duration timeout) {
        Map<String, Long> highest = new LinkedHashMap<>();
        histories.forEach(h -> h.frames().stream().filter(f -> f.type().equals("message")).forEach(f -> highest
                .merge(f.frame().path("conversationId").asText(), f.frame().path("seq").asLong(), Math::max)));
        Map<String, List<JsonNode>> archive = new LinkedHashMap<>();
        Set<String> conversations = new LinkedHashSet<>(members.keySet());
        churns.forEach(c -> conversations.addAll(c.conversations()));
        Waits.poll(() -> {
            conversations.forEach(conversationId -> archive.put(conversationId, history(conversationId)));
            return highest.entrySet().stream().allMatch(e -> archive.get(e.getKey()).size() >= e.getValue());
        }, timeout);
        return archive;
    }

    /** As one of its members (a churned group's owner, the one member sure to stay). */
    private List<JsonNode> history(String conversationId) {
        String member = members.containsKey(conversationId) ? members.get(conversationId).iterator().next()
                : churns.stream().filter(c -> c.conversations().contains(conversationId)).findFirst().orElseThrow()
                        .ownerId();
        String token = logins.stream().filter(l -> l.userId().equals(member)).findFirst().orElseThrow().accessToken();
        List<JsonNode> messages = new ArrayList<>();
        while (true) {
            long after = messages.isEmpty() ? 0 : messages.getLast().path("seq").asLong();
            Rest.Response page = rest.get("/v1/conversations/" + conversationId + "/messages?after=" + after
                    + "&limit=" + HISTORY_PAGE, token);
            if (page.status() != 200) {
                throw new AssertionError("history of " + conversationId + ": " + page);
            }
            page.body().path("messages").forEach(messages::add);
            if (page.body().path("messages").size() < HISTORY_PAGE) {
                return messages;
            }
        }
    }

    private void tick() {
        for (ChatClient client : clients) {
            try {
                client.flushAck();
                client.resendOverdue();
            } catch (RuntimeException e) {
                log.warn("timer of {} failed", client.label(), e);
            }
        }
    }

    private int echoes() {
        return clients.stream().mapToInt(c -> (int) c.history().frames().stream()
                .filter(f -> f.type().equals("message") && f.frame().path("senderId").asText().equals(c.userId()))
                .count()).sum();
    }

    private DeliveryChecker checker() {
        return new DeliveryChecker(members, churned(false), false);
    }

    /**
     * The churned groups for the checker; {@code withDatabase}: with what the database committed, in order (when
     * every call was answered), and its members now (through REST), once the run is over.
     */
    private Map<String, DeliveryChecker.Churned> churned(boolean withDatabase) {
        Map<String, DeliveryChecker.Churned> churned = new LinkedHashMap<>();
        for (MembershipChurn c : churns) {
            for (String conversationId : c.conversations()) {
                churned.put(conversationId, withDatabase
                        ? new DeliveryChecker.Churned(c.ownerId(), c.exact() ? c.committed(conversationId) : null,
                                rest.members(c.ownerToken(), conversationId))
                        : DeliveryChecker.Churned.during(c.ownerId()));
            }
        }
        return churned;
    }

    private List<String> userIds() {
        return logins.subList(0, logins.size() - WITH_TWO_DEVICES).stream().map(Rest.Login::userId).toList();
    }

    private List<DeviceHistory> histories() {
        return clients.stream().map(ChatClient::history).toList();
    }

    /** What is still missing while messages are on their way (the final check judges the rest). */
    private Set<Rule> incompleteness() {
        Set<Rule> rules = new HashSet<>();
        checker().check(histories()).forEach(v -> {
            if (INCOMPLETE.contains(v.rule())) {
                rules.add(v.rule());
            }
        });
        return rules;
    }

    private void logSummary(LoadDriver load, List<Violation> violations) {
        List<DeviceHistory> histories = histories();
        long frames = histories.stream().mapToLong(h -> h.frames().size()).sum();
        long messages = histories.stream().flatMap(h -> h.frames().stream())
                .filter(f -> f.type().equals("message")).count();
        log.info("run: {} sends ({} written again under their id), {} frames received ({} messages), {} duplicates "
                        + "on the wire dropped by userSeq, {} ids echoed again under a new userSeq, {} connections, "
                        + "{} violations",
                load.sent(), clients.stream().mapToLong(ChatClient::retransmissions).sum(), frames, messages,
                clients.stream().mapToLong(ChatClient::duplicates).sum(), echoedAgain(histories),
                clients.stream().mapToInt(ChatClient::connections).sum(), violations.size());
        churns.forEach(c -> log.info("membership: {}, {} probes", c.summary(), c.probes()));
        violations.forEach(v -> log.error("violation {}: {}", v.rule(), v.detail()));
    }

    /** Sends whose echo reached their device under two userSeqs: a repeated id recognised as such. */
    private static long echoedAgain(List<DeviceHistory> histories) {
        return histories.stream().mapToLong(h -> h.frames().stream()
                .filter(f -> f.type().equals("message") && f.frame().path("senderId").asText().equals(h.userId()))
                .collect(Collectors.groupingBy(f -> f.frame().path("id").asText(),
                        Collectors.mapping(ReceivedFrame::userSeq, Collectors.toSet())))
                .values().stream().filter(userSeqs -> userSeqs.size() > 1).count()).sum();
    }

}
