package io.kchat.manifests;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docker-compose.yml as data, with the anchors and merge keys resolved. */
record ComposeFile(Map<String, Object> root) {

    static final String FILE = "docker-compose.yml";
    /** {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME-default}}, {@code ${NAME:?error}}, {@code ${NAME?error}}. */
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])(.*))?}");

    static ComposeFile load() {
        return parse(Repository.read(FILE));
    }

    static ComposeFile parse(String text) {
        List<Map<String, Object>> documents = Yaml.documents(text);
        if (documents.size() != 1) {
            throw new IllegalArgumentException(FILE + " must be one YAML document");
        }
        return new ComposeFile(documents.getFirst());
    }

    Map<String, Object> services() {
        return Yaml.mapAt(root, "services");
    }

    Map<String, Object> service(String name) {
        return Yaml.mapAt(root, "services", name);
    }

    Set<String> namedVolumes() {
        return Yaml.mapAt(root, "volumes").keySet();
    }

    /** The compose services running {@code service}'s image, by name. */
    Map<String, Map<String, Object>> running(Service service) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        services().forEach((name, definition) -> {
            String image = Yaml.stringAt(definition, "image");
            // the tag is interpolated (${KCHAT_VERSION:-...}): only the repository names the service
            if (image != null && Service.ofImage(image.replaceAll("\\$\\{[^}]*}", "tag")).equals(Optional.of(service))) {
                found.put(name, Yaml.map(definition));
            }
        });
        return found;
    }

    /** A service's environment, in either of Compose's forms; a null value is passed through from the shell. */
    static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> environment = new LinkedHashMap<>();
        Object declared = service.get("environment");
        if (declared instanceof List<?> entries) {
            for (Object entry : entries) {
                String text = entry.toString();
                int equals = text.indexOf('=');
                environment.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? null : text.substring(equals + 1));
            }
        } else if (declared != null) {
            Yaml.map(declared).forEach((k, v) -> environment.put(k, v == null ? null : v.toString()));
        }
        return environment;
    }

    /**
     * Does this value give the variable a value whoever runs Compose? Yes for a literal, a default
     * ({@code ${X:-value}}) and a mandatory variable ({@code ${X:?message}}); no for a pass-through (null), an
     * empty value and a bare {@code ${X}} that may be unset.
     */
    static boolean givesValue(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        Matcher m = INTERPOLATION.matcher(value.strip());
        if (!m.matches()) {
            return true;
        }
        String operator = m.group(2);
        if (operator == null) {
            return false;
        }
        return operator.endsWith("?") || !m.group(3).isBlank();
    }

    /** The value a setting takes when the shell sets nothing: the default of {@code ${X:-default}}, or the literal. */
    static String valueWithoutShell(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = INTERPOLATION.matcher(value.strip());
        return m.matches() ? (m.group(2) != null && m.group(2).endsWith("-") ? m.group(3) : null) : value;
    }
}
