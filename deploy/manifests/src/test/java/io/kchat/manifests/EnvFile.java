package io.kchat.manifests;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code KEY=value} lines as kustomize reads them: blank lines and {@code #} comments skipped, values verbatim. */
final class EnvFile {

    private EnvFile() {
    }

    static Map<String, String> parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("not KEY=value: " + line);
            }
            values.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
        }
        return values;
    }
}
