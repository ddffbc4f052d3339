package io.kchat.gateway.origins;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code proto} and {@code host} of the first element of an RFC 7239 {@code Forwarded} header: what the proxy
 * nearest the client saw, i.e. the scheme and authority the browser used. Elements are comma-separated, their
 * pairs semicolon-separated, and a value may be a quoted string (an IPv6 host with its port must be).
 */
record ForwardedHop(Optional<String> proto, Optional<String> host) {

    static final ForwardedHop NONE = new ForwardedHop(Optional.empty(), Optional.empty());

    static ForwardedHop first(String header) {
        Optional<String> proto = Optional.empty();
        Optional<String> host = Optional.empty();
        StringBuilder pair = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i <= header.length(); i++) {
            char c = i < header.length() ? header.charAt(i) : ',';
            if (quoted) {
                pair.append(c);
                if (c == '\\' && i + 1 < header.length()) {
                    pair.append(header.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == ';' || c == ',') {
                int equals = pair.indexOf("=");
                if (equals > 0) {
                    String name = pair.substring(0, equals).strip().toLowerCase(Locale.ROOT);
                    String value = unquoted(pair.substring(equals + 1).strip());
                    // a name given twice is malformed: the first one stands
                    if (name.equals("proto") && proto.isEmpty()) {
                        proto = Optional.of(value);
                    } else if (name.equals("host") && host.isEmpty()) {
                        host = Optional.of(value);
                    }
                }
                pair.setLength(0);
                if (c == ',') {
                    break; // the end of the first element
                }
            } else {
                if (c == '"') {
                    quoted = true;
                }
                pair.append(c);
            }
        }
        return new ForwardedHop(proto.filter(s -> !s.isEmpty()), host.filter(s -> !s.isEmpty()));
    }

    private static String unquoted(String value) {
        if (value.length() < 2 || !value.startsWith("\"") || !value.endsWith("\"")) {
            return value;
        }
        return value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
    }
}
