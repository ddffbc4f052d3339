package io.kchat.gateway.origins;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A web origin (RFC 6454) in the one form origins are compared in: lower-case scheme and host, and no port when it
 * is the scheme's default, so {@code http://Example.com:80} equals {@code http://example.com}. {@code ws} and
 * {@code wss} count as {@code http} and {@code https}: a socket is served over the same scheme pair as the pages.
 *
 * @param port the explicit port, or {@link #DEFAULT_PORT}
 */
public record Origin(String scheme, String host, int port) {

    static final int DEFAULT_PORT = -1;
    private static final int MAX_PORT = 65_535;

    /**
     * The origin {@code text} names: {@code scheme://host[:port]} and nothing more (no user, path, query or
     * fragment, as browsers send it). Empty for anything else, the opaque origin {@code null} included: such a
     * value is never allowed.
     */
    public static Optional<Origin> parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (uri.isOpaque() || uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null
                || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getPort() == 0 || uri.getPort() > MAX_PORT) {
            return Optional.empty();
        }
        String given = uri.getScheme().toLowerCase(Locale.ROOT);
        String scheme = switch (given) {
            case "ws" -> "http";
            case "wss" -> "https";
            default -> given;
        };
        int port = uri.getPort() == defaultPort(scheme) ? DEFAULT_PORT : uri.getPort();
        return Optional.of(new Origin(scheme, uri.getHost().toLowerCase(Locale.ROOT), port));
    }

    /**
     * An entry of WS_ALLOWED_ORIGINS. Refused at start rather than never matching: a typo would otherwise lock a
     * web client out in silence, and {@code *} must not be read as "any" (the setting only ever adds origins).
     */
    public static Origin configured(String entry) {
        if (entry.contains("*")) {
            throw new IllegalArgumentException("WS_ALLOWED_ORIGINS takes exact origins, not '*' or patterns: '"
                    + entry + "'. List each web client's origin (scheme://host[:port]); unset, only the gateway's"
                    + " own origin is allowed");
        }
        return parse(entry).orElseThrow(() -> new IllegalArgumentException(
                "WS_ALLOWED_ORIGINS entries are origins, scheme://host[:port] without a path: '" + entry + "'"));
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> DEFAULT_PORT;
        };
    }

    @Override
    public String toString() {
        return scheme + "://" + host + (port == DEFAULT_PORT ? "" : ":" + port);
    }
}
