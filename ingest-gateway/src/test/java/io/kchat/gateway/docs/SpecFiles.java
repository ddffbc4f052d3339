package io.kchat.gateway.docs;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The API documents as JSON trees: the OpenAPI one the gateway serves and the AsyncAPI one of the repository. */
public final class SpecFiles {

    /** Tests run in the module's directory; the AsyncAPI document sits with the repository's other docs. */
    public static final Path ASYNCAPI = Path.of("..", "docs", "asyncapi.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private SpecFiles() {
    }

    public static JsonNode openApi() {
        try (InputStream in = SpecFiles.class.getClassLoader().getResourceAsStream(OpenApiDocument.RESOURCE)) {
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode asyncApi() {
        try {
            return YAML.readTree(ASYNCAPI.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode readYaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Follows local references ({@code "$ref": "#/a/b"}) until a node that is not one. */
    public static JsonNode resolve(JsonNode root, JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; current.has("$ref") && current.get("$ref").asText().startsWith("#"); hops++) {
            if (hops > 16) {
                throw new AssertionError("reference cycle at " + node);
            }
            String ref = current.get("$ref").asText();
            current = root.at(JsonPointer.compile(ref.substring(1)));
            if (current.isMissingNode()) {
                throw new AssertionError("unresolved reference " + ref);
            }
        }
        return current;
    }

    /** Every {@code $ref} value anywhere in the document. */
    public static List<String> references(JsonNode root) {
        List<String> refs = new ArrayList<>();
        walk(root, node -> {
            if (node.has("$ref")) {
                refs.add(node.get("$ref").asText());
            }
        });
        return refs;
    }

    private static void walk(JsonNode node, Consumer<JsonNode> visitor) {
        if (node.isContainerNode()) {
            visitor.accept(node);
            node.forEach(child -> walk(child, visitor));
        }
    }
}
