package io.kchat.gateway.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.kchat.gateway.json.Json;

/** Server frames as JSON text, in the gateway's one JSON configuration. */
final class FrameJson {

    private static final ObjectWriter WRITER = Json.mapper().writer();

    private FrameJson() {
    }

    static String write(ServerFrame frame) {
        try {
            return WRITER.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            // frames are our own records of strings and numbers: failing here is a bug, not a client's doing
            throw new IllegalStateException("cannot write " + frame.type() + " frame", e);
        }
    }
}
