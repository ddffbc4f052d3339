package io.kchat.gateway.http;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 9457 problem details as sent on the wire; {@code detail} and {@code reason} are omitted when null. The
 * {@code type} is a relative URI per code (not about:blank, whose title must be the bare status phrase).
 * {@code reason} is an extension member: a finer machine-readable cause within {@code code}, e.g.
 * {@code too_many_devices}. {@code extensions} are further members at the top level (e.g. {@code missingDevices}).
 */
public record Problem(String type, String title, int status, String code, String detail, String reason,
                      @JsonIgnore Map<String, Object> extensions) {

    public static Problem of(int status, ProblemCode code, String title, String detail) {
        return of(status, code, title, detail, null);
    }

    public static Problem of(int status, ProblemCode code, String title, String detail, String reason) {
        return new Problem("/problems/" + code.wireName(), title, status, code.wireName(), detail, reason, Map.of());
    }

    public Problem with(Map<String, Object> members) {
        return new Problem(type, title, status, code, detail, reason, Collections.unmodifiableMap(new LinkedHashMap<>(members)));
    }

    @JsonAnyGetter
    public Map<String, Object> extensionMembers() {
        return extensions;
    }
}
