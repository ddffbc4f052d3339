package io.kchat.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.events.ConversationEvent;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What became of the membership changes of {@link MembershipChurn}s across a kill of the CDC engine, against
 * what the database committed (the churns' answers, in order, and the rows): the copies on chat.inbound
 * ({@link InboundCopies}), the changes the processor applied (its committed output on chat.user-inbound),
 * what the owners' devices got, and where the probes went.
 */
final class CdcAudit implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CdcAudit.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** A conversation's row: its version and its members. */
    record Row(long version, Set<String> members) {
    }

    /**
     * What the audit counted. Of the changes made before the kill: {@code relayedAfterRestart} had no relayed copy
     * before it, {@code relayedAgain} had one and got another from the restarted engine.
     */
    record Counts(int changes, int copies, int resent, int older, int relayedAfterRestart, int relayedAgain,
                  int madeWhileDown, int applied, int probes) {
    }

    /** What does not hold (empty if all does), and the counts. */
    record Result(List<String> wrong, Counts counts) {
    }

    private final Stack stack;
    private final List<MembershipChurn> churns;
    private final InboundCopies copies;

    CdcAudit(Stack stack, List<MembershipChurn> churns) {
        this.stack = stack;
        this.churns = List.copyOf(churns);
        this.copies = new InboundCopies(stack);
    }

    /**
     * The changes up to {@code versions} (the churns' {@link MembershipChurn#versions()} taken earlier) that
     * chat.inbound does not hold twice yet: the gateway published them, the relay has not copied them (yet).
     */
    List<String> unrelayed(Map<String, Integer> versions) {
        copies.refresh();
        List<String> missing = new ArrayList<>();
        versions.forEach((conversationId, upTo) -> {
            for (long version = 1; version <= upTo; version++) {
                if (copies.of(conversationId, version).size() < 2) {
                    missing.add(conversationId + " v" + version);
                }
            }
        });
        return missing;
    }

    /**
     * Everything, once the run is over and quiet.
     *
     * @param killedAt    wall-clock millis just before the kill: copies produced before it came from the
     *                    gateway and the killed engine
     * @param restartedAt wall-clock millis just before the restart: copies from then on of changes made before
     *                    the kill were relayed by the new engine, for the first time or again
     */
    Result check(Collection<DeviceHistory> histories, long killedAt, long restartedAt) {
        copies.refresh();
        Map<String, Row> rows = rows();
        Map<String, Map<String, List<Long>>> applied = applied();
        Tally tally = new Tally(killedAt, restartedAt);
        for (MembershipChurn churn : churns) {
            for (String conversationId : churn.conversations()) {
                List<Set<String>> committed = churn.committed(conversationId);
                tally.changes += committed.size();
                checkRow(conversationId, committed, rows.get(conversationId), tally.wrong);
                checkCopies(conversationId, committed, tally);
                checkApplied(conversationId, committed, applied, tally);
                checkOwnersDevices(churn.ownerId(), conversationId, committed, histories, tally.wrong);
            }
        }
        checkProbes(histories, rows, tally);
        return new Result(tally.wrong, tally.counts());
    }

    /** The counts of an audit as a log line. */
    static void log(Counts counts) {
        log.info("cdc: {} membership changes committed (creations included); {} copies of them on chat.inbound, {} "
                        + "beyond the gateway's and one relayed, {} after a newer version; of the changes made "
                        + "before the kill {} were relayed only after the restart and {} before the kill and again "
                        + "after it; {} made while no engine ran; {} applied changes logged for users; {} probes "
                        + "checked",
                counts.changes(), counts.copies(), counts.resent(), counts.older(), counts.relayedAfterRestart(),
                counts.relayedAgain(), counts.madeWhileDown(), counts.applied(), counts.probes());
    }

    @Override
    public void close() {
        copies.close();
    }

    /** The database ended where the churn's answers said. */
    private static void checkRow(String conversationId, List<Set<String>> committed, Row row, List<String> wrong) {
        if (row == null || row.version() != committed.size() || !row.members().equals(committed.getLast())) {
            wrong.add(conversationId + ": the database has " + row + " but the churn committed version "
                    + committed.size() + " with " + committed.getLast());
        }
    }

    /**
     * Every version is on chat.inbound at least twice, the gateway's publish and the relay's copy (CDC lost none
     * across the kill), and every copy carries what was committed under its version.
     */
    private void checkCopies(String conversationId, List<Set<String>> committed, Tally tally) {
        for (int version = 1; version <= committed.size(); version++) {
            List<InboundCopies.Copy> ofVersion = copies.of(conversationId, version);
            Set<String> members = committed.get(version - 1);
            String name = conversationId + " v" + version;
            if (ofVersion.size() < 2) {
                tally.wrong.add(name + " is on chat.inbound " + ofVersion.size() + " times: CDC did not relay it");
            }
            ofVersion.stream().filter(copy -> !copy.members().equals(members)).forEach(copy -> tally.wrong.add(
                    name + " carries " + copy.members() + " but " + members + " was committed"));
            tally.copied(ofVersion);
        }
        copies.versions(conversationId).keySet().stream().filter(version -> version > committed.size())
                .forEach(version -> tally.wrong.add(conversationId + " v" + version
                        + " is on chat.inbound but the database never committed it"));
        tally.older += copies.olderThanTheirPredecessors(conversationId);
    }

    /**
     * The processor applied each version once and in order, to the log of exactly the users it concerned (the
     * members before and after it): a copy applied twice, or an old one after a newer one, would show here.
     */
    private static void checkApplied(String conversationId, List<Set<String>> committed,
                                     Map<String, Map<String, List<Long>>> applied, Tally tally) {
        Set<String> users = new TreeSet<>(applied.keySet());
        committed.forEach(users::addAll);
        for (String userId : users) {
            List<Long> expected = new ArrayList<>();
            for (int version = 1; version <= committed.size(); version++) {
                Set<String> before = version == 1 ? Set.of() : committed.get(version - 2);
                if (before.contains(userId) || committed.get(version - 1).contains(userId)) {
                    expected.add((long) version);
                }
            }
            List<Long> got = applied.getOrDefault(userId, Map.of()).getOrDefault(conversationId, List.of());
            tally.applied += got.size();
            if (!got.equals(expected)) {
                tally.wrong.add(conversationId + ": the processor applied versions " + DeliveryChecker.abbreviate(got)
                        + " for " + userId + ", not " + DeliveryChecker.abbreviate(expected));
            }
        }
    }

    /** The owner's devices got the committed member sets, in order: the clients' side of the same. */
    private static void checkOwnersDevices(String ownerId, String conversationId, List<Set<String>> committed,
                                           Collection<DeviceHistory> histories, List<String> wrong) {
        List<Set<String>> got = MembershipTimeline.of(conversationId, histories.stream()
                        .filter(h -> h.userId().equals(ownerId)).toList())
                .changes().stream().map(MembershipTimeline.Change::members).toList();
        if (!got.equals(committed)) {
            wrong.add(conversationId + ": the owner's devices got the member sets " + got + " but " + committed
                    + " were committed");
        }
    }

    /** Each group got its probe, and each probe reached every device of exactly the database's members. */
    private void checkProbes(Collection<DeviceHistory> histories, Map<String, Row> rows, Tally tally) {
        Set<String> conversations = conversations();
        Map<String, Set<String>> devicesByProbe = new LinkedHashMap<>();
        Map<String, String> conversationOf = new HashMap<>();
        for (DeviceHistory device : histories) {
            device.frames().stream().map(ReceivedFrame::frame).filter(f -> isProbe(f, conversations)).forEach(f -> {
                devicesByProbe.computeIfAbsent(f.path("id").asText(), id -> new TreeSet<>()).add(device.label());
                conversationOf.put(f.path("id").asText(), f.path("conversationId").asText());
            });
        }
        conversations.stream().filter(c -> !conversationOf.containsValue(c))
                .forEach(c -> tally.wrong.add("no device got the probe of " + c));
        devicesByProbe.forEach((probe, devices) -> {
            Set<String> members = rows.get(conversationOf.get(probe)).members();
            Set<String> expected = new TreeSet<>();
            histories.stream().filter(h -> members.contains(h.userId())).forEach(h -> expected.add(h.label()));
            if (!devices.equals(expected)) {
                tally.wrong.add("probe " + probe + " reached " + devices + ", not the devices of the database's "
                        + "members " + expected);
            }
        });
        tally.probes = devicesByProbe.size();
    }

    private static boolean isProbe(JsonNode frame, Set<String> conversations) {
        return frame.path("type").asText().equals("message")
                && conversations.contains(frame.path("conversationId").asText())
                && frame.path("body").asText().startsWith("probe ");
    }

    private Set<String> conversations() {
        Set<String> conversations = new HashSet<>();
        churns.forEach(churn -> conversations.addAll(churn.conversations()));
        return conversations;
    }

    /** The processor's committed output: user, conversation, the versions of the changes it logged for the user. */
    private Map<String, Map<String, List<Long>>> applied() {
        Map<String, Map<String, List<Long>>> applied = new HashMap<>();
        Set<String> conversations = conversations();
        try (TopicReader<UserCommand> userInbound = new TopicReader<>(stack.bootstrapServers(),
                stack.topics().userInbound(), "read_committed")) {
            for (ConsumerRecord<String, UserCommand> record : userInbound.readToEnd(READ_TIMEOUT)) {
                if (record.value().getCommand() instanceof UserEvent event
                        && event.getPayload() instanceof ConversationEvent change
                        && conversations.contains(change.getConversation().getConversationId())) {
                    applied.computeIfAbsent(event.getUserId(), u -> new HashMap<>())
                            .computeIfAbsent(change.getConversation().getConversationId(), c -> new ArrayList<>())
                            .add(change.getConversation().getVersion());
                }
            }
        }
        return applied;
    }

    private Map<String, Row> rows() {
        Map<String, Long> versions = new HashMap<>();
        Map<String, Set<String>> members = new HashMap<>();
        try (Connection db = stack.openDatabase();
             PreparedStatement query = db.prepareStatement("SELECT c.conversation_id, c.version, m.user_id "
                     + "FROM conversations c LEFT JOIN conversation_members m USING (conversation_id) "
                     + "WHERE c.conversation_id = ANY (?)")) {
            query.setArray(1, db.createArrayOf("text", conversations().toArray()));
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    versions.put(row.getString(1), row.getLong(2));
                    Set<String> of = members.computeIfAbsent(row.getString(1), c -> new TreeSet<>());
                    if (row.getString(3) != null) {
                        of.add(row.getString(3));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the conversations", e);
        }
        Map<String, Row> rows = new HashMap<>();
        versions.forEach((id, version) -> rows.put(id, new Row(version, Set.copyOf(members.get(id)))));
        return rows;
    }

    /** What one audit found and counted. */
    private static final class Tally {

        final List<String> wrong = new ArrayList<>();
        final long killedAt;
        final long restartedAt;
        int changes;
        int copies;
        int resent;
        int older;
        int relayedAfterRestart;
        int relayedAgain;
        int madeWhileDown;
        int applied;
        int probes;

        Tally(long killedAt, long restartedAt) {
            this.killedAt = killedAt;
            this.restartedAt = restartedAt;
        }

        /** Where a version's copies fall around the kill and the restart. */
        void copied(List<InboundCopies.Copy> ofVersion) {
            copies += ofVersion.size();
            resent += Math.max(0, ofVersion.size() - 2);
            long beforeKill = ofVersion.stream().filter(copy -> copy.timestamp() < killedAt).count();
            boolean afterRestart = ofVersion.stream().anyMatch(copy -> copy.timestamp() >= restartedAt);
            if (beforeKill == 0 && ofVersion.stream().anyMatch(copy -> copy.timestamp() < restartedAt)) {
                madeWhileDown++;
            } else if (beforeKill == 1 && afterRestart) {
                relayedAfterRestart++;
            } else if (beforeKill >= 2 && afterRestart) {
                relayedAgain++;
            }
        }

        Counts counts() {
            return new Counts(changes, copies, resent, older, relayedAfterRestart, relayedAgain, madeWhileDown,
                    applied, probes);
        }
    }
}
