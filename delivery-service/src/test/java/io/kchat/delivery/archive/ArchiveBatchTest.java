package io.kchat.delivery.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kchat.delivery.archive.ArchiveBatch.Cursors;
import io.kchat.delivery.archive.ArchiveBatch.MemberKey;
import io.kchat.delivery.archive.ArchiveBatch.Watermark;
import io.kchat.events.ChatMessage;
import io.kchat.events.Receipt;
import io.kchat.events.ReceiptKind;
import io.kchat.events.Typing;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArchiveBatchTest {

    private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void foldsEachRowToItsHighestValues() {
        ArchiveBatch batch = ArchiveBatch.of(List.of(
                message("c2", 7, "ann", T.plusSeconds(9)),
                message("c1", 2, "ben", T.plusSeconds(2)),
                message("c1", 1, "ann", T.plusSeconds(5)), // a later ts under a lower seq still counts as activity
                receipt("c1", "cat", ReceiptKind.READ, 2),
                receipt("c1", "cat", ReceiptKind.READ, 1),
                receipt("c1", "cat", ReceiptKind.DELIVERED, 2),
                receipt("c1", "ann", ReceiptKind.DELIVERED, 1)));

        assertEquals(List.of("c1#1", "c1#2", "c2#7"),
                batch.messages().stream().map(m -> m.getConversationId() + "#" + m.getSeq()).toList());
        assertEquals(Map.of("c1", new Watermark(2, T.plusSeconds(5)), "c2", new Watermark(7, T.plusSeconds(9))),
                batch.conversations());
        assertEquals(Map.of(
                new MemberKey("c1", "ann"), new Cursors(1, 1),
                new MemberKey("c1", "ben"), new Cursors(2, 0),
                new MemberKey("c1", "cat"), new Cursors(2, 2),
                new MemberKey("c2", "ann"), new Cursors(7, 0)), batch.cursors());
    }

    @Test
    void withoutItsMessagesABatchStillMovesWatermarksAndCursors() {
        ArchiveBatch batch = ArchiveBatch.of(List.of(message("c1", 4, "ann", T)));
        ArchiveBatch rest = batch.withoutMessages();

        assertEquals(List.of(), rest.messages());
        assertEquals(Map.of("c1", new Watermark(4, T)), rest.conversations());
        assertEquals(Map.of(new MemberKey("c1", "ann"), new Cursors(4, 0)), rest.cursors());
    }

    @Test
    void refusesWhatIsNotArchived() {
        assertThrows(IllegalArgumentException.class, () -> ArchiveBatch.of(List.of(new Typing("c1", "ann", true, T))));
    }

    private static ChatMessage message(String conversationId, long seq, String sender, Instant ts) {
        return new ChatMessage(conversationId, seq, "m" + seq, "id" + seq, sender, "d", "body", ts, null, null, List.of(), false);
    }

    private static Receipt receipt(String conversationId, String userId, ReceiptKind kind, long seq) {
        return new Receipt(conversationId, userId, kind, seq, T);
    }
}
