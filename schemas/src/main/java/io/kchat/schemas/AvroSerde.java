package io.kchat.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro single-object encoding (2-byte marker, 8-byte CRC-64-AVRO fingerprint of the writer schema,
 * binary body). There is no schema registry: a reader resolves the fingerprint against the current
 * schema and every released schema shipped in this artifact under {@code io/kchat/events/released/}.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroSerde(Class<T> type) {
        this.type = type;
        Schema schema = SpecificData.get().getSchema(type);
        // without its own copy: the buffer it returns is the encoder's per-thread one, which encode() copies into
        // the byte[] it returns before anything else encodes on this thread (one copy per record, not two)
        this.encoder = new BinaryMessageEncoder<>(SpecificData.get(), schema, false);
        this.decoder = new BinaryMessageDecoder<>(SpecificData.get(), schema);
        for (Schema released : ReleasedSchemas.of(schema.getName())) {
            decoder.addSchema(released);
        }
    }

    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type);
    }

    public byte[] encode(T value) {
        try {
            ByteBuffer buffer = encoder.encode(value);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new SerializationException("cannot encode " + type.getSimpleName(), e);
        }
    }

    public T decode(byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + " (" + bytes.length + " bytes)", e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : encode(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }

    public Class<T> type() {
        return type;
    }

    /** The released versions of a record schema, loaded from the classpath. */
    static final class ReleasedSchemas {
        private ReleasedSchemas() {
        }

        static List<Schema> of(String recordName) {
            String path = "/io/kchat/events/released/" + recordName + ".avsc";
            try (InputStream in = AvroSerde.class.getResourceAsStream(path)) {
                if (in == null) {
                    return List.of();
                }
                return List.of(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read released schema " + path, e);
            }
        }
    }
}
