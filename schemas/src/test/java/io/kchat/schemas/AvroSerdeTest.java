package io.kchat.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kchat.events.InboundCommand;
import io.kchat.events.LoggedEvent;
import io.kchat.events.Receipt;
import io.kchat.events.ReceiptKind;
import io.kchat.events.SendMessage;
import io.kchat.events.UserState;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final AvroSerde<InboundCommand> serde = AvroSerde.of(InboundCommand.class);

    @Test
    void roundTripsARecordWithItsFingerprintHeader() {
        var command = new InboundCommand("c-1", Instant.parse("2026-01-02T03:04:05.678Z"),
                new SendMessage("id-1", "u1", "d1", "héllo", null, null, List.of(), false));
        byte[] bytes = serde.serializer().serialize("t", command);
        // single-object encoding marker: C3 01, then the 8-byte schema fingerprint
        assertArrayEquals(new byte[] {(byte) 0xC3, 0x01}, new byte[] {bytes[0], bytes[1]});
        assertEquals(command, serde.deserializer().deserialize("t", bytes));
    }

    @Test
    void aRecordOfTheReleasedSchemaDecodesWithTheDefaultsOfTheFieldsAddedSince() throws Exception {
        Schema released = AvroSerde.ReleasedSchemas.of("UserState").getFirst();
        GenericRecord old = new GenericData.Record(released);
        old.put("lastUserSeq", 7L);
        old.put("oldestUserSeq", 3L);
        old.put("devices", List.of());
        old.put("sessions", List.of());
        ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), released).encode(old);
        byte[] bytes = new byte[written.remaining()];
        written.get(bytes);

        UserState state = AvroSerde.of(UserState.class).decode(bytes);

        assertEquals(7L, state.getLastUserSeq());
        assertEquals(3L, state.getOldestUserSeq());
        assertEquals(Long.MAX_VALUE, state.getUnmarkedUpTo(), "a field added since: its default");
        assertEquals(List.of(), state.getHeldDelivered());
        assertEquals(0L, state.getDeliveredAnnouncedAt());
    }

    @Test
    void aUserLogEntryWrittenBeforeThePayloadsAddedSinceStillDecodes() {
        // the user-log store keeps LoggedEvents for devices that are away: entries written by the release before
        // must decode after an upgrade that added payloads to UserEvent and a field to ConversationSnapshot
        Schema released = AvroSerde.ReleasedSchemas.of("LoggedEvent").getFirst();
        Schema userEvent = released.getField("event").schema();
        Schema receipt = userEvent.getField("payload").schema().getTypes().stream()
                .filter(branch -> branch.getName().equals("Receipt")).findFirst().orElseThrow();
        GenericRecord oldReceipt = new GenericData.Record(receipt);
        oldReceipt.put("conversationId", "c1");
        oldReceipt.put("userId", "u2");
        oldReceipt.put("kind", new GenericData.EnumSymbol(receipt.getField("kind").schema(), "READ"));
        oldReceipt.put("seq", 4L);
        oldReceipt.put("ts", Instant.parse("2026-01-02T03:04:05Z").toEpochMilli());
        GenericRecord oldEvent = new GenericData.Record(userEvent);
        oldEvent.put("userId", "u1");
        oldEvent.put("payload", oldReceipt);
        GenericRecord oldEntry = new GenericData.Record(released);
        oldEntry.put("userSeq", 9L);
        oldEntry.put("event", oldEvent);
        ByteBuffer written;
        try {
            written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), released).encode(oldEntry);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        byte[] bytes = new byte[written.remaining()];
        written.get(bytes);

        LoggedEvent entry = AvroSerde.of(LoggedEvent.class).decode(bytes);

        assertEquals(9L, entry.getUserSeq());
        assertEquals(new Receipt("c1", "u2", ReceiptKind.READ, 4L, Instant.parse("2026-01-02T03:04:05Z")),
                entry.getEvent().getPayload());
    }

    @Test
    void eachEncodingOwnsItsBytesThoughTheEncoderReusesOneBufferPerThread() {
        var first = new InboundCommand("c-1", Instant.parse("2026-01-02T03:04:05Z"),
                new SendMessage("id-1", "u1", "d1", "a longer body than the next one", null, null, List.of(), false));
        var second = new InboundCommand("c-2", Instant.parse("2026-01-02T03:04:06Z"),
                new SendMessage("id-2", "u2", "d2", "short", null, null, List.of(), false));
        byte[] firstBytes = serde.encode(first);
        byte[] copy = firstBytes.clone();
        byte[] secondBytes = serde.encode(second);

        assertArrayEquals(copy, firstBytes, "the second encoding must not write into the first one's bytes");
        assertEquals(first, serde.decode(firstBytes));
        assertEquals(second, serde.decode(secondBytes));
    }

    @Test
    void refusesBytesOfAnUnknownSchemaWithASerializationException() {
        byte[] garbage = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertThrows(SerializationException.class, () -> serde.decode(garbage));
    }

    @Test
    void nullStaysNullForTombstones() {
        assertEquals(null, serde.serializer().serialize("t", null));
        assertEquals(null, serde.deserializer().deserialize("t", null));
    }
}
