package io.kchat.gateway.docs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kchat.gateway.assets.ClasspathResources;
import io.kchat.gateway.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The REST API's OpenAPI document, written by hand in YAML ({@value #RESOURCE}) and kept equal to the routes by
 * {@code OpenApiSpecTest}. Both representations are made once, at start: the JSON one for tools that read JSON only.
 */
final class OpenApiDocument {

    static final String RESOURCE = "openapi/openapi.yaml";

    private final byte[] yaml;
    private final byte[] json;

    private OpenApiDocument(byte[] yaml, byte[] json) {
        this.yaml = yaml;
        this.json = json;
    }

    static OpenApiDocument load() {
        byte[] yaml = ClasspathResources.read(RESOURCE);
        return new OpenApiDocument(yaml, toJson(yaml));
    }

    /** The bytes as shipped: callers send them, never change them. */
    byte[] yaml() {
        return yaml;
    }

    byte[] json() {
        return json;
    }

    private static byte[] toJson(byte[] yaml) {
        try {
            JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(yaml);
            return Json.mapper().writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(RESOURCE + " is not valid YAML", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
