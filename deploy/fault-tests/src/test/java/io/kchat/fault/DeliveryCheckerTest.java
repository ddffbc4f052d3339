package io.kchat.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kchat.fault.Violation.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The checker on hand-made histories: a clean run (with the duplicates the wire may carry) passes, and each
 * kind of breach is caught.
 *
 * <p>The clean run: conversation c1 (alice, bob) has seqs 1 a-1, 2 b-1, 3 a-2; conversation c2 (alice, carol)
 * has seq 1 c-1. Alice's log: 1 c1 created, 2-4 the c1 messages, 5 c2 created, 6 c-1; she reconnects once
 * and gets userSeq 3 again. Bob has two devices, b1 and b2; b2 reconnects once. Bob's and carol's logs are
 * the same shape over their conversations.
 *
 * <p>The churned group g (the {@code churned...} tests): alice creates it with carol, sends g-1, adds bob, sends
 * g-2, removes carol, sends g-3. Each change goes to the members before and after it, each message to the
 * members of its moment.
 */
class DeliveryCheckerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Set<String>> MEMBERS = Map.of(
            "c1", Set.of("alice", "bob"),
            "c2", Set.of("alice", "carol"));
    private static final Set<String> CREATED = Set.of("alice", "carol");
    private static final Set<String> BOB_ADDED = Set.of("alice", "bob", "carol");
    private static final Set<String> CAROL_REMOVED = Set.of("alice", "bob");
    private static final List<Set<String>> COMMITTED = List.of(CREATED, BOB_ADDED, CAROL_REMOVED);

    private Device alice;
    private Device bob1;
    private Device bob2;
    private Device carol;

    @BeforeEach
    void cleanRun() {
        alice = new Device("alice", "a")
                .connect(0).add(created(1, "c1"), a1(2), b1(3))
                .connect(2).add(b1(3), a2(4), created(5, "c2"), c1(6)).synced(6)
                .sent("a-1", "c1", "hello").sent("a-2", "c1", "how are you");
        bob1 = new Device("bob", "b1")
                .connect(0).synced(0).add(created(1, "c1"), a1(2), b1(3), a2(4))
                .sent("b-1", "c1", "hi");
        bob2 = new Device("bob", "b2")
                .connect(0).synced(0).add(created(1, "c1"), a1(2))
                .connect(2).add(b1(3), a2(4)).synced(4);
        carol = new Device("carol", "c")
                .connect(0).synced(0).add(created(1, "c2"), c1(2))
                .sent("c-1", "c2", "hey");
    }

    @Test
    void aCleanRunWithDuplicatesOnTheWirePasses() {
        assertEquals(List.of(), check(false));
    }

    @Test
    void aRetriedIdEchoedAgainUnderANewUserSeqPasses() {
        alice.add(message(7, "c1", 3, "alice", "a-2", "how are you"));
        assertEquals(List.of(), check(false));
    }

    @Test
    void anOkdSendWithoutEchoOrRefusalIsUnresolved() {
        alice.sent("a-3", "c1", "lost");
        assertCaught(Rule.SEND_UNRESOLVED);
    }

    @Test
    void aSendNotOkdNeedsNoOutcome() {
        alice.sends.add(new SentMessage("a-3", "c1", "never acknowledged", false));
        assertEquals(List.of(), check(false));
    }

    @Test
    void aRefusedSendIsCaughtUnlessRefusalsAreAllowed() {
        alice.sent("a-3", "c1", "refused").add(refusal(7, "a-3", "c1"));
        assertCaught(Rule.SEND_REFUSED);
        assertEquals(List.of(), check(true));
    }

    @Test
    void anEchoWithAnotherBodyIsCaught() {
        alice.sends.set(0, new SentMessage("a-1", "c1", "what I typed", true));
        assertCaught(Rule.ECHO_MISMATCH);
    }

    @Test
    void aMessageMissingOnOneDeviceOfAMemberIsCaught() {
        bob2.remove(frame -> isMessage(frame, "c1", 3));
        assertCaught(Rule.MISSING_DELIVERY);
    }

    @Test
    void aMessageToANonMemberIsCaught() {
        bob1.add(message(5, "c2", 1, "carol", "c-1", "hey"));
        assertCaught(Rule.MESSAGE_TO_NON_MEMBER);
    }

    @Test
    void oneClientIdUnderTwoSeqsIsCaught() {
        JsonNode again = message(5, "c1", 4, "alice", "a-1", "hello");
        alice.add(message(7, "c1", 4, "alice", "a-1", "hello"));
        bob1.add(again);
        bob2.add(again);
        assertCaught(Rule.ID_UNDER_TWO_SEQS);
    }

    @Test
    void twoContentsUnderOneConversationSeqAreCaught() {
        bob1.replace(frame -> isMessage(frame, "c1", 2), message(3, "c1", 2, "bob", "b-1", "hi there"));
        assertCaught(Rule.CONFLICTING_SEQ_CONTENT);
    }

    @Test
    void twoContentsUnderOneDeviceUserSeqAreCaught() {
        // the replay after alice's reconnect carries something else under userSeq 3 than the live frame did
        alice.replaceNth(frame -> frame.path("userSeq").asLong() == 3, 1, receipt(3, "c1", "bob", 1));
        assertCaught(Rule.CONFLICTING_USERSEQ_CONTENT);
    }

    @Test
    void twoDevicesOfOneUserWithDifferentEventsUnderOneUserSeqAreCaught() {
        // each device is consistent in itself: only comparing the two shows the contradiction
        bob1.add(receipt(5, "c1", "alice", 2));
        bob2.add(receipt(5, "c1", "alice", 3));
        assertCaught(Rule.CONFLICTING_USERSEQ_CONTENT);
    }

    @Test
    void anArchiveAgreeingWithTheClientsPasses() {
        assertEquals(List.of(), checkWithArchive(archive()));
    }

    @Test
    void anArchiveRenderingATimestampDifferentlyPasses() {
        Map<String, List<JsonNode>> archive = archive();
        ((ObjectNode) archive.get("c2").getFirst()).put("ts", "2026-01-01T00:00:01.000000Z");
        assertEquals(List.of(), checkWithArchive(archive));
    }

    @Test
    void anArchivedMessageDifferingFromWhatClientsGotIsCaught() {
        Map<String, List<JsonNode>> archive = archive();
        ((ObjectNode) archive.get("c1").get(1)).put("body", "hi (replayed differently)");
        assertCaught(Rule.CONFLICTING_SEQ_CONTENT, checkWithArchive(archive));
    }

    @Test
    void anAcceptedMessageMissingFromTheArchiveIsCaught() {
        Map<String, List<JsonNode>> archive = archive();
        archive.get("c1").removeLast();
        assertCaught(Rule.ARCHIVE_MISSING, checkWithArchive(archive));
    }

    @Test
    void anArchivedMessageThatReachedNoMemberIsCaught() {
        Map<String, List<JsonNode>> archive = archive();
        archive.get("c1").add(content(message(0, "c1", 4, "bob", "b-2", "never delivered")));
        assertCaught(Rule.MISSING_DELIVERY, checkWithArchive(archive));
    }

    @Test
    void aHoleInAConversationsSeqsIsCaught() {
        for (Device device : List.of(alice, bob1, bob2)) {
            device.remove(frame -> isMessage(frame, "c1", 2));
        }
        assertCaught(Rule.SEQ_GAP);
    }

    @Test
    void seqsOutOfOrderOnOneDeviceAreCaught() {
        bob1.replace(frame -> frame.path("userSeq").asLong() == 3, message(3, "c1", 3, "alice", "a-2", "how are you"));
        bob1.replace(frame -> frame.path("userSeq").asLong() == 4, message(4, "c1", 2, "bob", "b-1", "hi"));
        assertCaught(Rule.SEQ_ORDER);
    }

    @Test
    void aUserSeqRepeatedWithinOneConnectionIsCaught() {
        bob1.add(a2(4));
        assertCaught(Rule.USERSEQ_ORDER);
    }

    @Test
    void anEventAheadOfAMissingOneIsCaught() {
        // b2's second connection skips userSeq 3 and only a later one brings it
        bob2.remove(frame -> frame.path("userSeq").asLong() == 3);
        bob2.connect(2).add(b1(3), a2(4)).synced(4);
        assertCaught(Rule.USERSEQ_GAP);
    }

    @Test
    void aReadyClaimingMoreThanTheDeviceGotIsCaught() {
        alice.replace(frame -> frame.path("type").asText().equals("ready") && frame.path("ackedUserSeq").asLong() == 2,
                ready(3));
        alice.remove(frame -> frame.path("userSeq").asLong() == 3);
        assertCaught(Rule.USERSEQ_GAP);
    }

    @Test
    void aLastConnectionWithoutSyncedIsCaught() {
        bob2.connect(4);
        assertCaught(Rule.NOT_SYNCED);
    }

    @Test
    void aChurnedGroupDeliveringToTheMembersOfEachMomentPasses() {
        churnedGroup();
        assertEquals(List.of(), checkChurned(COMMITTED, CAROL_REMOVED));
    }

    @Test
    void aMessageToAMemberRemovedBeforeItIsCaught() {
        churnedGroup();
        carol.add(g3(8));
        assertCaught(Rule.MESSAGE_TO_NON_MEMBER, checkChurned(COMMITTED, CAROL_REMOVED));
    }

    @Test
    void aMessageMissingAtAMemberAddedBeforeItIsCaught() {
        churnedGroup();
        bob2.remove(frame -> isMessage(frame, "g", 2));
        assertCaught(Rule.MISSING_DELIVERY, checkChurned(COMMITTED, CAROL_REMOVED));
    }

    @Test
    void aChurnedGroupsSeqsGoingBackOnADeviceAreCaught() {
        churnedGroup();
        bob1.replace(frame -> frame.path("userSeq").asLong() == 6, g3(6));
        bob1.replace(frame -> frame.path("userSeq").asLong() == 8, g2(8));
        assertCaught(Rule.SEQ_ORDER, checkChurned(COMMITTED, CAROL_REMOVED));
    }

    @Test
    void aChangeLoggedTwiceForOneUserIsCaught() {
        churnedGroup();
        bob1.add(changed(9, "member_removed", CAROL_REMOVED));
        bob2.add(changed(9, "member_removed", CAROL_REMOVED));
        assertCaught(Rule.MEMBERSHIP_CHANGES, checkChurned(COMMITTED, CAROL_REMOVED));
    }

    @Test
    void aChangeMissingFromTheLogOfAUserItConcernsIsCaught() {
        // carol was a member before bob came: she must learn of it
        churnedGroup();
        carol.replace(frame -> frame.path("userSeq").asLong() == 5, receipt(5, "c2", "alice", 1));
        assertCaught(Rule.MEMBERSHIP_CHANGES, checkChurned(COMMITTED, CAROL_REMOVED));
    }

    @Test
    void anOldChangeAppliedAgainForEveryoneIsCaughtAgainstWhatTheDatabaseCommitted() {
        // consistent across the clients, so only the database shows that carol is back by mistake
        churnedGroup();
        alice.add(changed(13, "member_added", BOB_ADDED));
        bob1.add(changed(9, "member_added", BOB_ADDED));
        bob2.add(changed(9, "member_added", BOB_ADDED));
        carol.add(changed(8, "member_added", BOB_ADDED));
        assertEquals(List.of(), checkChurned(null, null));
        assertCaught(Rule.MEMBERSHIP_DIVERGED, checkChurned(COMMITTED, null));
        assertCaught(Rule.MEMBERSHIP_DIVERGED, checkChurned(null, CAROL_REMOVED));
    }

    @Test
    void aLastChangeOtherThanTheDatabasesIsCaught() {
        churnedGroup();
        assertCaught(Rule.MEMBERSHIP_DIVERGED, checkChurned(null, BOB_ADDED));
    }

    /** Appends the churned group g to the clean run (see the class comment). */
    private void churnedGroup() {
        alice.add(changed(7, "created", CREATED), g1(8), changed(9, "member_added", BOB_ADDED), g2(10),
                        changed(11, "member_removed", CAROL_REMOVED), g3(12))
                .sent("g-1", "g", "one").sent("g-2", "g", "two").sent("g-3", "g", "three");
        for (Device bob : List.of(bob1, bob2)) {
            bob.add(changed(5, "member_added", BOB_ADDED), g2(6), changed(7, "member_removed", CAROL_REMOVED),
                    g3(8));
        }
        carol.add(changed(3, "created", CREATED), g1(4), changed(5, "member_added", BOB_ADDED), g2(6),
                changed(7, "member_removed", CAROL_REMOVED));
    }

    private List<Violation> checkChurned(List<Set<String>> committed, Set<String> databaseMembers) {
        return new DeliveryChecker(MEMBERS, Map.of("g", new DeliveryChecker.Churned("alice", committed,
                databaseMembers)), false).check(devices());
    }

    private void assertCaught(Rule rule) {
        assertCaught(rule, check(false));
    }

    private static void assertCaught(Rule rule, List<Violation> violations) {
        Set<Rule> rules = violations.stream().map(Violation::rule).collect(Collectors.toSet());
        assertTrue(rules.contains(rule), "expected " + rule + " among " + violations);
    }

    private List<Violation> check(boolean refusalsAllowed) {
        return new DeliveryChecker(MEMBERS, refusalsAllowed).check(devices());
    }

    private List<Violation> checkWithArchive(Map<String, List<JsonNode>> archive) {
        return new DeliveryChecker(MEMBERS, false).check(devices(), archive);
    }

    private List<DeviceHistory> devices() {
        return List.of(alice.history(), bob1.history(), bob2.history(), carol.history());
    }

    /** What REST history pages for the clean run: the message objects, without type and userSeq. */
    private static Map<String, List<JsonNode>> archive() {
        return Map.of(
                "c1", new ArrayList<>(List.of(content(a1(0)), content(b1(0)), content(a2(0)))),
                "c2", new ArrayList<>(List.of(content(c1(0)))));
    }

    private static JsonNode content(JsonNode frame) {
        ObjectNode message = frame.deepCopy();
        message.remove(List.of("type", "userSeq"));
        return message;
    }

    private static JsonNode a1(long userSeq) {
        return message(userSeq, "c1", 1, "alice", "a-1", "hello");
    }

    private static JsonNode b1(long userSeq) {
        return message(userSeq, "c1", 2, "bob", "b-1", "hi");
    }

    private static JsonNode a2(long userSeq) {
        return message(userSeq, "c1", 3, "alice", "a-2", "how are you");
    }

    private static JsonNode g1(long userSeq) {
        return message(userSeq, "g", 1, "alice", "g-1", "one");
    }

    private static JsonNode g2(long userSeq) {
        return message(userSeq, "g", 2, "alice", "g-2", "two");
    }

    private static JsonNode g3(long userSeq) {
        return message(userSeq, "g", 3, "alice", "g-3", "three");
    }

    private static JsonNode c1(long userSeq) {
        return message(userSeq, "c2", 1, "carol", "c-1", "hey");
    }

    private static boolean isMessage(JsonNode frame, String conversationId, long seq) {
        return frame.path("type").asText().equals("message")
                && frame.path("conversationId").asText().equals(conversationId) && frame.path("seq").asLong() == seq;
    }

    static ObjectNode message(long userSeq, String conversationId, long seq, String senderId, String id, String body) {
        return JSON.createObjectNode().put("type", "message").put("userSeq", userSeq)
                .put("conversationId", conversationId).put("seq", seq).put("messageId", conversationId + ":" + seq)
                .put("id", id).put("senderId", senderId).put("body", body).put("ts", "2026-01-01T00:00:0" + seq + "Z");
    }

    private static ObjectNode created(long userSeq, String conversationId) {
        ObjectNode frame = JSON.createObjectNode().put("type", "conversation").put("userSeq", userSeq)
                .put("event", "created");
        frame.putObject("conversation").put("conversationId", conversationId);
        return frame;
    }

    /** A change of the churned group g: its event and the members after it. */
    private static ObjectNode changed(long userSeq, String event, Set<String> members) {
        ObjectNode frame = JSON.createObjectNode().put("type", "conversation").put("userSeq", userSeq)
                .put("event", event);
        ArrayNode list = frame.putObject("conversation").put("conversationId", "g").put("type", "group")
                .putArray("members");
        members.stream().sorted().forEach(userId -> list.addObject()
                .put("userId", userId).put("role", userId.equals("alice") ? "owner" : "member"));
        return frame;
    }

    private static ObjectNode receipt(long userSeq, String conversationId, String userId, long seq) {
        return JSON.createObjectNode().put("type", "receipt").put("userSeq", userSeq)
                .put("conversationId", conversationId).put("userId", userId).put("kind", "delivered").put("seq", seq);
    }

    private static ObjectNode refusal(long userSeq, String id, String conversationId) {
        return JSON.createObjectNode().put("type", "error").put("userSeq", userSeq).put("id", id)
                .put("conversationId", conversationId).put("code", "forbidden").put("message", "not a member");
    }

    private static ObjectNode ready(long ackedUserSeq) {
        return JSON.createObjectNode().put("type", "ready").put("ackedUserSeq", ackedUserSeq);
    }

    /** A device's history under construction. */
    private static final class Device {

        private final String userId;
        private final String deviceId;
        private final List<ReceivedFrame> frames = new ArrayList<>();
        private final List<SentMessage> sends = new ArrayList<>();
        private int connection;

        Device(String userId, String deviceId) {
            this.userId = userId;
            this.deviceId = deviceId;
        }

        Device connect(long ackedUserSeq) {
            connection++;
            return add(ready(ackedUserSeq));
        }

        Device synced(long userSeq) {
            return add(JSON.createObjectNode().put("type", "synced").put("userSeq", userSeq));
        }

        Device add(JsonNode... received) {
            for (JsonNode frame : received) {
                frames.add(new ReceivedFrame(connection, frame));
            }
            return this;
        }

        Device sent(String id, String conversationId, String body) {
            sends.add(new SentMessage(id, conversationId, body, true));
            return this;
        }

        void remove(Predicate<JsonNode> which) {
            frames.removeIf(received -> which.test(received.frame()));
        }

        void replace(Predicate<JsonNode> which, JsonNode by) {
            frames.replaceAll(received -> which.test(received.frame())
                    ? new ReceivedFrame(received.connection(), by) : received);
        }

        /** Replaces only the {@code nth} (0-based) frame matching {@code which}. */
        void replaceNth(Predicate<JsonNode> which, int nth, JsonNode by) {
            int seen = 0;
            for (int i = 0; i < frames.size(); i++) {
                if (which.test(frames.get(i).frame()) && seen++ == nth) {
                    frames.set(i, new ReceivedFrame(frames.get(i).connection(), by));
                    return;
                }
            }
            throw new IllegalArgumentException("no match number " + nth);
        }

        DeviceHistory history() {
            return new DeviceHistory(userId, deviceId, frames, sends);
        }
    }
}
