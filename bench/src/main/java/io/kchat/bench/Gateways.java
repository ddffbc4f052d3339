package io.kchat.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The gateways of the stack under test ({@code --url}, comma-separated: one per gateway). Socket number {@code i}
 * of a fleet connects to gateway {@code i mod G}, and signs in there. The modes put consecutive sockets in one
 * conversation ({@link ChatLoad}: members {@code kG .. kG + G - 1}), so with two or more gateways the two members
 * of every pair are on different gateways, and a group's members are spread over all of them: every delivery that
 * scale-out adds crosses nodes. With one URL everything goes where it went before.
 */
record Gateways(List<URI> bases) {

    static final String DEFAULT_URL = "http://127.0.0.1:8080";

    Gateways {
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("at least one gateway URL is needed");
        }
        if (new LinkedHashSet<>(bases).size() != bases.size()) {
            throw new IllegalArgumentException("a gateway is listed twice in " + bases
                    + ": sockets meant for different gateways would share one");
        }
        bases = List.copyOf(bases);
    }

    /** {@code --url}: {@code http://host:port[,http://host:port...]}, blanks around the commas ignored. */
    static Gateways parse(String urls) {
        List<URI> bases = new ArrayList<>();
        for (String part : urls.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            URI base = URI.create(strip(part.strip()));
            if (base.getScheme() == null || !base.getScheme().matches("https?") || base.getHost() == null) {
                throw new IllegalArgumentException("--url wants http://host:port, got " + part.strip());
            }
            bases.add(base);
        }
        return new Gateways(bases);
    }

    static Gateways from(Options options) {
        return parse(options.text("url", DEFAULT_URL));
    }

    int count() {
        return bases.size();
    }

    URI first() {
        return bases.getFirst();
    }

    /** The gateway (index into {@link #bases}) of socket number {@code socket}. */
    int of(int socket) {
        return Math.floorMod(socket, bases.size());
    }

    URI baseOf(int socket) {
        return bases.get(of(socket));
    }

    /** The WebSocket endpoint of a gateway's base URL. */
    static URI webSocket(URI base) {
        return URI.create(base.toString().replaceFirst("^http", "ws") + "/v1/ws");
    }

    /** A trailing slash would double in {@code base + "/v1/ws"}. */
    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
