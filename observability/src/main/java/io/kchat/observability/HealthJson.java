package io.kchat.observability;

import java.util.Map;

/**
 * A {@link HealthReport} as JSON, written by hand: the services do not share a JSON library, and the shape is
 * fixed and small.
 *
 * <pre>{@code
 * {"status":"DOWN","phase":"serving","checks":{"kafka":{"status":"UP","detail":"1 broker"},
 *  "database":{"status":"DOWN","detail":"Connection refused"}}}
 * }</pre>
 */
final class HealthJson {

    private HealthJson() {
    }

    static String write(HealthReport report) {
        StringBuilder json = new StringBuilder(128).append('{');
        field(json, "status", report.status()).append(',');
        field(json, "phase", report.phase().wire());
        if (report.reason() != null) {
            field(json.append(','), "reason", report.reason());
        }
        json.append(",\"checks\":{");
        boolean first = true;
        for (Map.Entry<String, CheckResult> check : report.checks().entrySet()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            string(json, check.getKey()).append(":{");
            field(json, "status", check.getValue().up() ? "UP" : "DOWN");
            if (check.getValue().detail() != null) {
                field(json.append(','), "detail", check.getValue().detail());
            }
            json.append('}');
        }
        return json.append("}}").toString();
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        return string(string(json, name).append(':'), value);
    }

    private static StringBuilder string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
