package io.kchat.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kchat.events.InboundCommand;
import io.kchat.events.SendMessage;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final AvroSerde<InboundCommand> serde = AvroSerde.of(InboundCommand.class);

    @Test
    void roundTripsARecordWithItsFingerprintHeader() {
        var command = new InboundCommand("c-1", Instant.parse("2026-01-02T03:04:05.678Z"),
                new SendMessage("id-1", "u1", "d1", "héllo"));
        byte[] bytes = serde.serializer().serialize("t", command);
        // single-object encoding marker: C3 01, then the 8-byte schema fingerprint
        assertArrayEquals(new byte[] {(byte) 0xC3, 0x01}, new byte[] {bytes[0], bytes[1]});
        assertEquals(command, serde.deserializer().deserialize("t", bytes));
    }

    @Test
    void eachEncodingOwnsItsBytesThoughTheEncoderReusesOneBufferPerThread() {
        var first = new InboundCommand("c-1", Instant.parse("2026-01-02T03:04:05Z"),
                new SendMessage("id-1", "u1", "d1", "a longer body than the next one"));
        var second = new InboundCommand("c-2", Instant.parse("2026-01-02T03:04:06Z"),
                new SendMessage("id-2", "u2", "d2", "short"));
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
