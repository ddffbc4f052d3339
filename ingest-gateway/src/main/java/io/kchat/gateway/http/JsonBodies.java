package io.kchat.gateway.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.helidon.webserver.http.ServerRequest;
import io.kchat.gateway.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads request bodies into DTO records. Every client mistake (no body, malformed JSON, a wrong type,
 * too many bytes) becomes a 400/413 problem here, so routes only validate values.
 */
public final class JsonBodies {

    /** REST bodies are small: profiles, ids, titles and member lists. */
    public static final int MAX_BODY_BYTES = 256 * 1024;
    private static final ObjectMapper MAPPER = strict(Json.mapper());

    private JsonBodies() {
    }

    public static <T> T read(ServerRequest request, Class<T> type) {
        return parse(readBytes(request), type);
    }

    static <T> T parse(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw ApiException.badRequest("request body required", "expected a JSON object");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest("request body required", "expected a JSON object, got null");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed request body", describe(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readBytes(ServerRequest request) {
        if (!request.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = request.content().inputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw ApiException.tooLarge("request body larger than " + MAX_BODY_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read request body", e);
        }
    }

    /** Names the offending field, never echoes parser internals or class names. */
    private static String describe(JsonProcessingException e) {
        if (e instanceof JsonParseException) {
            return "not valid JSON";
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (var reference : mapping.getPath()) {
                if (reference.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
                } else if (reference.getIndex() >= 0) {
                    path.append('[').append(reference.getIndex()).append(']');
                }
            }
            return "field '" + path + "' has the wrong type";
        }
        return "expected a JSON object";
    }

    /**
     * No silent coercion (a number where a string is expected is a client mistake, not "123") and no
     * duplicate keys (parsers disagree on which one wins).
     */
    private static ObjectMapper strict(ObjectMapper base) {
        ObjectMapper mapper = base.copy();
        mapper.configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        return mapper;
    }
}
