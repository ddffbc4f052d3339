package io.kchat.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kchat.fault.Violation.Rule;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Judges what the clients of a run got, and the archive, against guarantees 1-3 and 5 (docs/architecture.md,
 * docs/api.md). Duplicates on the wire are allowed, as the clients drop them by userSeq; contradictions, holes and
 * losses are not. Contradictions are looked for across devices: a gateway drops a repeated userSeq on a
 * socket, so a replay that differed from what went out live would show only on another device of the user,
 * at a member who got it later, or in the archive.
 *
 * <p>Assumes what the fault runs do: every device is registered before the conversations are created. In a
 * conversation whose membership does not change, each member device must see every seq from 1 on, in order.
 * In a {@linkplain Churned churned} one, members come and go during the run: who was a member when a message
 * was sequenced is read from the log of a member who never leaves ({@link MembershipTimeline}), each device
 * must get exactly the messages sequenced while its user was a member, in seq order, and each user's log
 * must hold exactly the changes that concerned it, in the reference member's order.
 */
final class DeliveryChecker {

    private static final int LISTED = 6;

    /**
     * A conversation whose members change during the run.
     *
     * @param referenceUserId a member throughout (its owner): its log orders the changes among the messages
     * @param committed       the member sets in the order the database committed them, from the creation on,
     *                        which the reference must have got exactly; null if not known (not compared)
     * @param databaseMembers the members the database has once the run is over, which the last change must
     *                        show; null while the run goes on (not compared)
     */
    record Churned(String referenceUserId, List<Set<String>> committed, Set<String> databaseMembers) {

        /** While the run goes on: only the reference is known. */
        static Churned during(String referenceUserId) {
            return new Churned(referenceUserId, null, null);
        }
    }

    private final Map<String, Set<String>> membersByConversation;
    private final Map<String, Churned> churned;
    private final boolean refusalsAllowed;

    /**
     * @param membersByConversation the user ids of every conversation of the run
     * @param refusalsAllowed       whether an ok'd send may end refused (false: every send must be accepted)
     */
    DeliveryChecker(Map<String, Set<String>> membersByConversation, boolean refusalsAllowed) {
        this(membersByConversation, Map.of(), refusalsAllowed);
    }

    /**
     * @param membersByConversation the user ids of every conversation whose membership stays as created
     * @param churned               the conversations whose membership changes during the run
     * @param refusalsAllowed       whether an ok'd send may end refused (false: every send must be accepted)
     */
    DeliveryChecker(Map<String, Set<String>> membersByConversation, Map<String, Churned> churned,
                    boolean refusalsAllowed) {
        this.membersByConversation = Map.copyOf(membersByConversation);
        this.churned = Map.copyOf(churned);
        this.refusalsAllowed = refusalsAllowed;
    }

    /** Judges the devices' histories alone (e.g. while the run is still going). */
    List<Violation> check(Collection<DeviceHistory> devices) {
        return check(devices, null);
    }

    /**
     * Judges the devices' histories and the archive (REST history, the committed messages) together: the
     * archive must hold every accepted message, with the content the clients got, and what it holds is
     * accepted, so it must have reached every member.
     *
     * @param archive every conversation's messages as REST pages them, or null to leave the archive out
     */
    List<Violation> check(Collection<DeviceHistory> devices, Map<String, List<JsonNode>> archive) {
        List<Violation> found = new ArrayList<>();
        Members members = new Members(timelines(devices));
        Map<SeqKey, JsonNode> messages = new TreeMap<>();
        Map<String, Map<Long, Seen>> eventsByUser = new HashMap<>();
        for (DeviceHistory device : devices) {
            indexMessages(device, members, messages, found);
            checkStream(device, eventsByUser.computeIfAbsent(device.userId(), u -> new HashMap<>()),
                    churned::containsKey, found);
            checkSends(device, found);
        }
        if (archive != null) {
            checkArchive(archive, messages, found);
        }
        checkIdsAndSeqs(messages, found);
        checkEveryMemberDevice(devices, members, messages, found);
        checkMembershipChanges(devices, members, found);
        return found;
    }

    private Map<String, MembershipTimeline> timelines(Collection<DeviceHistory> devices) {
        Map<String, MembershipTimeline> timelines = new HashMap<>();
        churned.forEach((conversationId, conversation) -> timelines.put(conversationId, MembershipTimeline.of(
                conversationId, devices.stream().filter(d -> d.userId().equals(conversation.referenceUserId()))
                        .toList())));
        return timelines;
    }

    /** Every message under one (conversation, seq) is the same; only members get it. */
    private void indexMessages(DeviceHistory device, Members members, Map<SeqKey, JsonNode> messages,
                               List<Violation> found) {
        Set<SeqKey> reported = new HashSet<>();
        Set<String> strayConversations = new HashSet<>();
        for (ReceivedFrame received : device.frames()) {
            if (!received.type().equals("message")) {
                continue;
            }
            JsonNode content = messageContent(received.frame());
            SeqKey key = SeqKey.of(content);
            JsonNode first = messages.putIfAbsent(key, content);
            if (first != null && !first.equals(content) && reported.add(key)) {
                found.add(new Violation(Rule.CONFLICTING_SEQ_CONTENT,
                        key + " is " + first + " elsewhere but " + content + " at " + device.label()));
            }
            if (!members.contains(device.userId(), key) && strayConversations.add(key.conversationId())) {
                found.add(new Violation(Rule.MESSAGE_TO_NON_MEMBER,
                        device.label() + " got " + key + " without being a member"));
            }
        }
    }

    /**
     * The device's stream as a client sees it: strictly increasing userSeq per connection, nothing ahead of a
     * missing event, one content per userSeq (on all the user's devices), each conversation's seqs in order,
     * and the last connection synced.
     */
    private void checkStream(DeviceHistory device, Map<Long, Seen> usersEvents, Predicate<String> isChurned,
                             List<Violation> found) {
        DeviceStream stream = new DeviceStream(device, usersEvents, isChurned, found);
        device.frames().forEach(stream::accept);
        stream.finish();
    }

    private void checkSends(DeviceHistory device, List<Violation> found) {
        Map<String, JsonNode> echoes = new HashMap<>();
        Set<String> refused = new HashSet<>();
        for (ReceivedFrame received : device.frames()) {
            JsonNode frame = received.frame();
            String id = frame.path("id").asText(null);
            if (received.type().equals("message") && device.userId().equals(frame.path("senderId").asText())) {
                echoes.putIfAbsent(id, frame);
            } else if (received.type().equals("error") && received.hasUserSeq() && id != null) {
                refused.add(id);
            }
        }
        for (SentMessage send : device.sends()) {
            if (!send.ok()) {
                continue;
            }
            JsonNode echo = echoes.get(send.id());
            if (echo != null) {
                if (!echo.path("conversationId").asText().equals(send.conversationId())
                        || !echo.path("body").asText().equals(send.body())) {
                    found.add(new Violation(Rule.ECHO_MISMATCH, device.label() + " sent " + send + " but got " + echo));
                }
            } else if (refused.contains(send.id())) {
                if (!refusalsAllowed) {
                    found.add(new Violation(Rule.SEND_REFUSED, device.label() + " had " + send + " refused"));
                }
            } else {
                found.add(new Violation(Rule.SEND_UNRESOLVED,
                        device.label() + " got ok for " + send + " but neither its echo nor a refusal"));
            }
        }
    }

    /** The archive agrees with the clients on each message, and misses none. */
    private static void checkArchive(Map<String, List<JsonNode>> archive, Map<SeqKey, JsonNode> messages,
                                     List<Violation> found) {
        Set<SeqKey> archived = new HashSet<>();
        archive.values().forEach(page -> page.forEach(message -> {
            JsonNode content = messageContent(message);
            SeqKey key = SeqKey.of(content);
            archived.add(key);
            JsonNode delivered = messages.putIfAbsent(key, content);
            if (delivered != null && !sameMessage(delivered, content)) {
                found.add(new Violation(Rule.CONFLICTING_SEQ_CONTENT,
                        key + " is " + delivered + " at the clients but " + content + " in the archive"));
            }
        }));
        List<SeqKey> unarchived = messages.keySet().stream().filter(key -> !archived.contains(key)).toList();
        if (!unarchived.isEmpty()) {
            found.add(new Violation(Rule.ARCHIVE_MISSING, unarchived.size() + " accepted messages are not in the "
                    + "history: " + abbreviate(unarchived)));
        }
    }

    /** The same message object, whatever the rendering of its timestamp (the same instant). */
    private static boolean sameMessage(JsonNode a, JsonNode b) {
        for (String field : List.of("conversationId", "seq", "messageId", "id", "senderId", "body")) {
            if (!a.path(field).asText().equals(b.path(field).asText())) {
                return false;
            }
        }
        try {
            return Instant.parse(a.path("ts").asText()).equals(Instant.parse(b.path("ts").asText()));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** One seq per client id, and each conversation's seqs 1..n without holes. */
    private static void checkIdsAndSeqs(Map<SeqKey, JsonNode> messages, List<Violation> found) {
        Map<String, TreeSet<Long>> seqsById = new LinkedHashMap<>();
        Map<String, TreeSet<Long>> seqsByConversation = new LinkedHashMap<>();
        messages.forEach((key, content) -> {
            String clientId = key.conversationId() + "/" + content.path("senderId").asText() + "/"
                    + content.path("id").asText();
            seqsById.computeIfAbsent(clientId, k -> new TreeSet<>()).add(key.seq());
            seqsByConversation.computeIfAbsent(key.conversationId(), k -> new TreeSet<>()).add(key.seq());
        });
        seqsById.forEach((clientId, seqs) -> {
            if (seqs.size() > 1) {
                found.add(new Violation(Rule.ID_UNDER_TWO_SEQS, "client id " + clientId + " under seqs " + seqs));
            }
        });
        seqsByConversation.forEach((conversationId, seqs) -> {
            List<Long> holes = missing(seqs, 1, seqs.last());
            if (!holes.isEmpty()) {
                found.add(new Violation(Rule.SEQ_GAP, "conversation " + conversationId + " has seqs up to "
                        + seqs.last() + " but none at " + abbreviate(holes)));
            }
        });
    }

    /** Every accepted message reached every device of every member (as of its seq). */
    private void checkEveryMemberDevice(Collection<DeviceHistory> devices, Members members,
                                        Map<SeqKey, JsonNode> messages, List<Violation> found) {
        Map<String, TreeSet<Long>> accepted = new LinkedHashMap<>();
        messages.keySet().forEach(key ->
                accepted.computeIfAbsent(key.conversationId(), k -> new TreeSet<>()).add(key.seq()));
        for (DeviceHistory device : devices) {
            Map<String, Set<Long>> got = new HashMap<>();
            device.frames().stream().filter(f -> f.type().equals("message")).forEach(f -> got
                    .computeIfAbsent(f.frame().path("conversationId").asText(), k -> new HashSet<>())
                    .add(f.frame().path("seq").asLong()));
            accepted.forEach((conversationId, seqs) -> {
                List<Long> owed = seqs.stream()
                        .filter(seq -> members.contains(device.userId(), new SeqKey(conversationId, seq))).toList();
                Set<Long> mine = got.getOrDefault(conversationId, Set.of());
                List<Long> lost = owed.stream().filter(seq -> !mine.contains(seq)).toList();
                if (!lost.isEmpty()) {
                    found.add(new Violation(Rule.MISSING_DELIVERY, device.label() + " lacks " + lost.size()
                            + " of " + owed.size() + " messages of " + conversationId + ": seqs " + abbreviate(lost)));
                }
            });
        }
    }

    /**
     * In each churned conversation, every user's log holds exactly the changes that concerned it, in the order
     * the reference member got them (a change applied twice, or an old one applied again, would show as an
     * extra or a reordered change), and the reference got what the database committed, in its order (an old
     * change applied again to everyone would show only there).
     */
    private void checkMembershipChanges(Collection<DeviceHistory> devices, Members members, List<Violation> found) {
        Map<String, List<DeviceHistory>> byUser = new LinkedHashMap<>();
        devices.forEach(device -> byUser.computeIfAbsent(device.userId(), u -> new ArrayList<>()).add(device));
        churned.forEach((conversationId, conversation) -> {
            MembershipTimeline timeline = members.timelines.get(conversationId);
            if (timeline.changes().isEmpty()) {
                found.add(new Violation(Rule.MEMBERSHIP_CHANGES, "reference " + conversation.referenceUserId()
                        + " of " + conversationId + " got no change of it, not even its creation"));
                return;
            }
            byUser.forEach((userId, ofUser) -> {
                List<String> expected = timeline.expectedFor(userId);
                List<String> got = MembershipTimeline.changesIn(conversationId, ofUser);
                if (!got.equals(expected)) {
                    found.add(new Violation(Rule.MEMBERSHIP_CHANGES, userId + " got the changes of "
                            + conversationId + " " + abbreviate(got) + " but the reference's log implies "
                            + abbreviate(expected)));
                }
            });
            List<Set<String>> applied = timeline.changes().stream().map(MembershipTimeline.Change::members).toList();
            if (conversation.committed() != null && !applied.equals(conversation.committed())) {
                found.add(new Violation(Rule.MEMBERSHIP_DIVERGED, "the reference " + conversation.referenceUserId()
                        + " got the member sets " + abbreviate(applied) + " of " + conversationId + " but "
                        + abbreviate(conversation.committed()) + " were committed"));
            }
            if (conversation.databaseMembers() != null
                    && !timeline.current().equals(conversation.databaseMembers())) {
                found.add(new Violation(Rule.MEMBERSHIP_DIVERGED, "the last change of " + conversationId
                        + " applied has members " + timeline.current() + " but the database has "
                        + new TreeSet<>(conversation.databaseMembers())));
            }
        });
    }

    /** The message object of a frame: what must be identical wherever its (conversation, seq) appears. */
    private static JsonNode messageContent(JsonNode frame) {
        ObjectNode content = frame.deepCopy();
        content.remove("type");
        content.remove("userSeq");
        return content;
    }

    private static List<Long> missing(Set<Long> present, long from, long to) {
        List<Long> holes = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            if (!present.contains(seq)) {
                holes.add(seq);
            }
        }
        return holes;
    }

    static String abbreviate(List<?> items) {
        return items.size() <= LISTED ? items.toString()
                : items.subList(0, LISTED) + " and " + (items.size() - LISTED) + " more";
    }

    record SeqKey(String conversationId, long seq) implements Comparable<SeqKey> {

        static SeqKey of(JsonNode message) {
            return new SeqKey(message.path("conversationId").asText(), message.path("seq").asLong());
        }

        @Override
        public int compareTo(SeqKey other) {
            int byConversation = conversationId.compareTo(other.conversationId);
            return byConversation != 0 ? byConversation : Long.compare(seq, other.seq);
        }

        @Override
        public String toString() {
            return "(" + conversationId + ", seq " + seq + ")";
        }
    }

    /** Who is a member: as created, or for a churned conversation, as of a message's seq. */
    private final class Members {

        private final Map<String, MembershipTimeline> timelines;

        Members(Map<String, MembershipTimeline> timelines) {
            this.timelines = timelines;
        }

        boolean contains(String userId, SeqKey message) {
            MembershipTimeline timeline = timelines.get(message.conversationId());
            return timeline != null ? timeline.membersAt(message.seq()).contains(userId)
                    : membersByConversation.getOrDefault(message.conversationId(), Set.of()).contains(userId);
        }
    }

    /** The first frame seen under a user's userSeq, and on which device. */
    private record Seen(JsonNode frame, String device) {
    }

    /** Walks one device's frames in arrival order, as the client did. */
    private static final class DeviceStream {

        private final DeviceHistory device;
        private final Map<Long, Seen> usersEvents;
        private final Predicate<String> isChurned;
        private final List<Violation> found;
        private final Set<Long> firstSeen = new HashSet<>();
        private final Set<Long> conflicting = new HashSet<>();
        private final TreeSet<Long> received = new TreeSet<>();
        private final Map<String, Long> lastSeq = new HashMap<>();
        private final Set<SeqKey> seenMessages = new HashSet<>();
        private boolean started;
        private long contiguous;
        private int connection = -1;
        private long lastInConnection;
        private boolean connectionSynced;
        private int aheadCount;
        private String firstAhead;

        DeviceStream(DeviceHistory device, Map<Long, Seen> usersEvents, Predicate<String> isChurned,
                     List<Violation> found) {
            this.device = device;
            this.usersEvents = usersEvents;
            this.isChurned = isChurned;
            this.found = found;
        }

        void accept(ReceivedFrame received) {
            if (received.connection() != connection) {
                connection = received.connection();
                lastInConnection = Long.MIN_VALUE;
                connectionSynced = false;
            }
            switch (received.type()) {
                case "ready" -> ready(received.frame().path("ackedUserSeq").asLong());
                case "synced" -> synced(received.frame().path("userSeq").asLong());
                default -> {
                    if (received.hasUserSeq()) {
                        event(received);
                    }
                }
            }
        }

        private void ready(long acked) {
            if (!started) {
                started = true;
                contiguous = acked;
            } else if (acked > contiguous) {
                found.add(new Violation(Rule.USERSEQ_GAP, device.label() + " connection " + connection
                        + " is ready with ackedUserSeq " + acked + " but the device has everything only up to "
                        + contiguous));
            }
        }

        private void synced(long userSeq) {
            connectionSynced = true;
            if (userSeq > contiguous) {
                found.add(new Violation(Rule.USERSEQ_GAP, device.label() + " connection " + connection
                        + " is synced at userSeq " + userSeq + " but the device has everything only up to "
                        + contiguous));
            }
        }

        private void event(ReceivedFrame frame) {
            long userSeq = frame.userSeq();
            if (!started) {
                started = true;
                contiguous = userSeq - 1;
            }
            if (userSeq <= lastInConnection) {
                found.add(new Violation(Rule.USERSEQ_ORDER, device.label() + " connection " + connection
                        + " got userSeq " + userSeq + " after " + lastInConnection));
            }
            lastInConnection = Math.max(lastInConnection, userSeq);
            if (userSeq > contiguous + 1 && aheadCount++ == 0) {
                firstAhead = "userSeq " + userSeq + " on connection " + connection + " while " + (contiguous + 1)
                        + " was missing";
            }
            received.add(userSeq);
            while (received.contains(contiguous + 1)) {
                contiguous++;
            }
            if (firstSeen.add(userSeq)) {
                firstTime(frame.frame());
            }
            Seen first = usersEvents.putIfAbsent(userSeq, new Seen(frame.frame(), device.label()));
            if (first != null && !first.frame().equals(frame.frame()) && conflicting.add(userSeq)) {
                found.add(new Violation(Rule.CONFLICTING_USERSEQ_CONTENT, "userSeq " + userSeq + " of "
                        + device.userId() + " was " + first.frame() + " at " + first.device() + " but "
                        + frame.frame() + " at " + device.label()));
            }
        }

        /**
         * What the client keeps (the first frame of each userSeq): a conversation's seqs go 1, 2, 3... In a
         * churned conversation they only increase: the device gets the stretches its user was a member for
         * (which ones, {@link #checkEveryMemberDevice} judges).
         */
        private void firstTime(JsonNode frame) {
            if (!frame.path("type").asText().equals("message")) {
                return;
            }
            SeqKey key = SeqKey.of(frame);
            if (!seenMessages.add(key)) {
                return; // a retried id's echo again: same seq, already shown
            }
            long last = lastSeq.getOrDefault(key.conversationId(), 0L);
            boolean inOrder = isChurned.test(key.conversationId()) ? key.seq() > last : key.seq() == last + 1;
            if (!inOrder) {
                found.add(new Violation(Rule.SEQ_ORDER, device.label() + " got " + key + " right after seq " + last));
            }
            lastSeq.merge(key.conversationId(), key.seq(), Math::max);
        }

        void finish() {
            if (aheadCount > 0) {
                found.add(new Violation(Rule.USERSEQ_GAP, device.label() + " got " + aheadCount
                        + " events ahead of a missing one, first " + firstAhead));
            }
            if (!connectionSynced) {
                found.add(new Violation(Rule.NOT_SYNCED, device.label() + " connection " + connection
                        + " (the last) never got synced"));
            }
        }
    }
}
