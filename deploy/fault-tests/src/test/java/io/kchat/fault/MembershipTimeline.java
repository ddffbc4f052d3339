package io.kchat.fault;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The membership changes of one conversation as one of its members received them, placed between its
 * messages. The processor emits a conversation's messages and changes to a member's log in the order it
 * applied them, so the log of a member who is never removed (the owner, who adds and removes the others)
 * tells who was a member when each message was sequenced.
 */
final class MembershipTimeline {

    /**
     * One applied change: the member set from here on, the event kind, and the highest seq of the conversation
     * the reference member had received before it (the change applies to messages with a higher seq).
     */
    record Change(long afterSeq, String kind, Set<String> members) {

        /** What a member's log holds for the change: kind and member set (no position). */
        String describe() {
            return kind + " " + members;
        }
    }

    private final String conversationId;
    private final List<Change> changes;

    private MembershipTimeline(String conversationId, List<Change> changes) {
        this.conversationId = conversationId;
        this.changes = List.copyOf(changes);
    }

    /** The timeline in the log of the user whose devices these are. */
    static MembershipTimeline of(String conversationId, Collection<DeviceHistory> devicesOfReference) {
        List<Change> changes = new ArrayList<>();
        long highestSeq = 0;
        for (JsonNode event : userLog(devicesOfReference)) {
            if (!conversationId.equals(conversationOf(event))) {
                continue;
            }
            if (event.path("type").asText().equals("message")) {
                highestSeq = Math.max(highestSeq, event.path("seq").asLong());
            } else if (event.path("type").asText().equals("conversation")) {
                changes.add(new Change(highestSeq, event.path("event").asText(), members(event)));
            }
        }
        return new MembershipTimeline(conversationId, changes);
    }

    /**
     * A user's log as the client keeps it: the first frame under each userSeq, over all the user's devices, in
     * userSeq order (devices of one user share one log).
     */
    static Collection<JsonNode> userLog(Collection<DeviceHistory> devicesOfUser) {
        TreeMap<Long, JsonNode> log = new TreeMap<>();
        devicesOfUser.forEach(device -> device.frames().stream().filter(ReceivedFrame::hasUserSeq)
                .forEach(frame -> log.putIfAbsent(frame.userSeq(), frame.frame())));
        return log.values();
    }

    /** The changes of {@code conversationId} a user's log holds, in its order. */
    static List<String> changesIn(String conversationId, Collection<DeviceHistory> devicesOfUser) {
        return userLog(devicesOfUser).stream()
                .filter(event -> event.path("type").asText().equals("conversation")
                        && conversationId.equals(conversationOf(event)))
                .map(event -> new Change(0, event.path("event").asText(), members(event)).describe())
                .toList();
    }

    String conversationId() {
        return conversationId;
    }

    List<Change> changes() {
        return changes;
    }

    /** Who was a member when the message {@code seq} was sequenced: the last change before it. */
    Set<String> membersAt(long seq) {
        Set<String> members = Set.of();
        for (Change change : changes) {
            if (change.afterSeq() >= seq) {
                break;
            }
            members = change.members();
        }
        return members;
    }

    /** The member set after the last change (empty if the reference got none). */
    Set<String> current() {
        return changes.isEmpty() ? Set.of() : changes.getLast().members();
    }

    /**
     * What a user's log must hold of this conversation's changes: each change made while the user was a member
     * before or after it (a removed member learns it was removed, then nothing more), in the same order.
     */
    List<String> expectedFor(String userId) {
        List<String> expected = new ArrayList<>();
        Set<String> before = Set.of();
        for (Change change : changes) {
            if (before.contains(userId) || change.members().contains(userId)) {
                expected.add(change.describe());
            }
            before = change.members();
        }
        return expected;
    }

    private static String conversationOf(JsonNode event) {
        JsonNode id = event.path("type").asText().equals("conversation")
                ? event.path("conversation").path("conversationId") : event.path("conversationId");
        return id.asText(null);
    }

    private static Set<String> members(JsonNode conversationEvent) {
        TreeSet<String> members = new TreeSet<>();
        conversationEvent.path("conversation").path("members").forEach(m -> members.add(m.path("userId").asText()));
        return Collections.unmodifiableSortedSet(members); // sorted: describe() prints equal sets alike
    }
}
