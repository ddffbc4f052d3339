package io.kchat.manifests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * YAML documents as plain maps and lists, and null-safe navigation in them. SnakeYAML rather than Jackson:
 * the compose file uses anchors and merge keys ({@code <<: *x}), which SnakeYAML resolves as Compose does.
 */
final class Yaml {

    private Yaml() {
    }

    /** Every document of a (possibly multi-document) YAML text; empty documents skipped. */
    static List<Map<String, Object>> documents(String text) {
        org.yaml.snakeyaml.Yaml yaml = new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions()));
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : yaml.loadAll(text)) {
            if (document != null) {
                documents.add(map(document));
            }
        }
        return documents;
    }

    /** The value at {@code path} below {@code node}, or null where any step is missing. */
    static Object at(Object node, String... path) {
        Object current = node;
        for (String step : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(step);
        }
        return current;
    }

    static Map<String, Object> mapAt(Object node, String... path) {
        Object value = at(node, path);
        return value == null ? Map.of() : map(value);
    }

    static List<Object> listAt(Object node, String... path) {
        Object value = at(node, path);
        return value == null ? List.of() : list(value);
    }

    static String stringAt(Object node, String... path) {
        Object value = at(node, path);
        return value == null ? null : value.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        if (!(node instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("expected a mapping, got " + node);
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        ((Map<Object, Object>) node).forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        if (!(node instanceof List<?>)) {
            throw new IllegalArgumentException("expected a sequence, got " + node);
        }
        return (List<Object>) node;
    }
}
