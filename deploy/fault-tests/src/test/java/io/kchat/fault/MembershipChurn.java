package io.kchat.fault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership changes over REST during a run, made by the owner of a few groups: each step adds one of the
 * candidates to a group or removes one (whichever applies), and every {@code createEvery}th step creates a
 * new group instead, up to {@code maxGroups}. Steps run one at a time (a background thread at a steady pace,
 * and {@link #burst} from the test), so the answers come back in the order the database committed the
 * changes: per group, {@link #committed} is the sequence of member sets the processor must apply.
 *
 * <p>A call answered neither 204 nor 201 (a gateway gone mid-call, a 503 while Kafka is away: the change may
 * be saved and relayed by CDC later) leaves the sequence unknown: the group's members are read back over
 * REST, and {@link #exact()} turns false.
 */
final class MembershipChurn implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MembershipChurn.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(45); // a step may wait for a REST timeout

    private final String name;
    private final Rest rest;
    private final Rest.Login owner;
    private final List<String> stable;
    private final List<String> candidates;
    private final int createEvery;
    private final int maxGroups;
    private final Random random = new Random();
    private final Map<String, Set<String>> members = new LinkedHashMap<>();
    private final Map<String, List<Set<String>>> committed = new LinkedHashMap<>();
    private final Set<String> unknown = new HashSet<>();
    private int steps;
    private int changes;
    private int failures;
    private int created;
    private int probes;
    private volatile boolean running;
    private Thread thread;

    private MembershipChurn(String name, Rest rest, Rest.Login owner, List<String> stable, List<String> candidates,
                            int createEvery, int maxGroups) {
        this.name = name;
        this.rest = rest;
        this.owner = owner;
        this.stable = List.copyOf(stable);
        this.candidates = List.copyOf(candidates);
        this.createEvery = createEvery;
        this.maxGroups = maxGroups;
    }

    /**
     * Creates {@code groups} groups owned by {@code owner}, with the {@code stable} users (never removed) and
     * every other candidate as members.
     *
     * @param createEvery every how many steps a new group is created (0: never)
     * @param maxGroups   no more groups than this
     */
    static MembershipChurn create(String name, Rest rest, Rest.Login owner, List<String> stable,
                                  List<String> candidates, int groups, int createEvery, int maxGroups) {
        MembershipChurn churn = new MembershipChurn(name, rest, owner, stable, candidates, createEvery, maxGroups);
        List<String> initial = new ArrayList<>(stable);
        for (int i = 0; i < candidates.size(); i += 2) {
            initial.add(candidates.get(i));
        }
        for (int i = 0; i < groups; i++) {
            if (!churn.createGroup(initial)) {
                throw new AssertionError("cannot create group " + name + "-" + (i + 1));
            }
        }
        return churn;
    }

    /** Steps every {@code interval} on a thread of its own until {@link #stop()}; {@code seed} fixes the choices. */
    synchronized void start(Duration interval, long seed) {
        random.setSeed(seed);
        running = true;
        thread = Thread.ofPlatform().daemon().name("churn-" + name).start(() -> run(interval));
        log.info("churn {}: a change every {} ms in {} groups of {}", name, interval.toMillis(), members.size(),
                owner.userId());
    }

    /** {@code count} steps at once, on the caller's thread (alongside the background ones). */
    void burst(int count) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            step();
        }
        log.info("churn {}: burst of {} steps in {} ms", name, count,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** Stops the background steps and waits for the one under way. */
    void stop() {
        Thread stepping;
        synchronized (this) {
            running = false;
            stepping = thread;
        }
        if (stepping == null) {
            return;
        }
        try {
            stepping.join(STOP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("churn {} stopped: {}", name, summary());
    }

    /** The owner's device sends one message into each group: it must reach exactly the members of now. */
    synchronized void probe(ChatClient ownersDevice) {
        for (String conversationId : members.keySet()) {
            ownersDevice.send(conversationId, "probe " + (++probes) + " of " + conversationId);
        }
    }

    String ownerId() {
        return owner.userId();
    }

    String ownerToken() {
        return owner.accessToken();
    }

    synchronized Set<String> conversations() {
        return Set.copyOf(members.keySet());
    }

    /** The member sets of a group in the order the database committed them, from its creation on. */
    synchronized List<Set<String>> committed(String conversationId) {
        return List.copyOf(committed.get(conversationId));
    }

    /**
     * Each group's version now: creation is version 1 and each change adds one, so the {@code n}th committed
     * member set (from 1) is version {@code n}. Meaningful while {@link #exact()}.
     */
    synchronized Map<String, Integer> versions() {
        Map<String, Integer> versions = new LinkedHashMap<>();
        committed.forEach((conversationId, sets) -> versions.put(conversationId, sets.size()));
        return versions;
    }

    /** Whether every call was answered, so that {@link #committed} is the whole sequence. */
    synchronized boolean exact() {
        return failures == 0;
    }

    /** Changes the database committed (answered 204), creations included. */
    synchronized int changes() {
        return changes;
    }

    synchronized int probes() {
        return probes;
    }

    synchronized String summary() {
        return changes + " changes (" + created + " groups created) in " + members.size() + " groups, "
                + failures + " calls unanswered and read back";
    }

    @Override
    public void close() {
        running = false;
    }

    private void run(Duration interval) {
        long next = System.nanoTime();
        while (running) {
            try {
                step();
            } catch (RuntimeException | AssertionError e) {
                log.warn("churn {} step failed", name, e);
            }
            next += interval.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime();
            }
        }
    }

    private synchronized void step() {
        steps++;
        if (createEvery > 0 && steps % createEvery == 0 && members.size() < maxGroups) {
            List<String> chosen = new ArrayList<>(stable);
            candidates.stream().filter(c -> random.nextBoolean()).forEach(chosen::add);
            if (chosen.isEmpty()) {
                chosen.add(candidates.get(random.nextInt(candidates.size())));
            }
            createGroup(chosen);
            return;
        }
        List<String> groups = new ArrayList<>(members.keySet());
        String conversationId = groups.get(random.nextInt(groups.size()));
        if (unknown.contains(conversationId) && !readBack(conversationId)) {
            return;
        }
        String userId = candidates.get(random.nextInt(candidates.size()));
        Set<String> next = new TreeSet<>(members.get(conversationId));
        boolean removing = next.contains(userId);
        Rest.Response answer;
        try {
            answer = removing ? rest.removeMember(owner.accessToken(), conversationId, userId)
                    : rest.addMember(owner.accessToken(), conversationId, userId);
        } catch (RuntimeException e) {
            answer = null;
            log.warn("churn {}: {} {} in {} got no answer", name, removing ? "removing" : "adding", userId,
                    conversationId, e);
        }
        if (answer != null && answer.status() == 204) {
            if (removing) {
                next.remove(userId);
            } else {
                next.add(userId);
            }
            applied(conversationId, next);
            return;
        }
        if (answer != null) {
            log.warn("churn {}: {} {} in {} answered {}", name, removing ? "removing" : "adding", userId,
                    conversationId, answer);
        }
        failures++;
        readBack(conversationId);
    }

    private boolean createGroup(List<String> memberIds) {
        ObjectNode body = Rest.JSON.createObjectNode().put("type", "group").put("title", name + "-" + (created + 1));
        memberIds.forEach(body.putArray("memberIds")::add);
        Rest.Response answer;
        try {
            answer = rest.post("/v1/conversations", owner.accessToken(), body);
        } catch (RuntimeException e) {
            log.warn("churn {}: creating a group got no answer", name, e);
            failures++;
            return false;
        }
        if (answer.status() != 201) {
            log.warn("churn {}: creating a group answered {}", name, answer);
            failures++;
            return false;
        }
        String conversationId = answer.body().path("conversationId").asText();
        Set<String> initial = new TreeSet<>(memberIds);
        initial.add(owner.userId());
        committed.put(conversationId, new ArrayList<>());
        created++;
        applied(conversationId, initial);
        return true;
    }

    private void applied(String conversationId, Set<String> next) {
        Set<String> snapshot = Collections.unmodifiableSet(new TreeSet<>(next));
        members.put(conversationId, snapshot);
        committed.get(conversationId).add(snapshot);
        changes++;
    }

    /** The group's members as the database has them; false (and tried again next time) if that fails too. */
    private boolean readBack(String conversationId) {
        try {
            members.put(conversationId, rest.members(owner.accessToken(), conversationId));
            unknown.remove(conversationId);
            return true;
        } catch (RuntimeException | AssertionError e) {
            log.warn("churn {}: cannot read back {}", name, conversationId, e);
            unknown.add(conversationId);
            return false;
        }
    }
}
