package io.kchat.gateway.origins;

import java.net.SocketAddress;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which pages may open a socket or call the REST API from a browser (API, "Browsers: origins"; the CORS filter asks
 * the same policy). A browser sends {@code Origin} with every WebSocket
 * upgrade and a page cannot forge it, and the same-origin policy does not cover WebSockets: without this check any
 * site's page could use a signed-in visitor's browser to talk to the gateway. So a present {@code Origin} must be
 * the gateway's own origin or one of WS_ALLOWED_ORIGINS; a request without one (not a browser) is let through, its
 * bearer token being its check.
 *
 * <p>The own origin is the scheme the gateway serves ({@code https} with TLS, else {@code http}) with the
 * {@code Host} header's host and port. Behind a proxy the browser's origin is the proxy's: the origin that
 * {@code X-Forwarded-Proto}/{@code X-Forwarded-Host}, or the first hop of {@code Forwarded}, describe is the
 * gateway's own too, but only from a trusted proxy, as anyone can write those headers. With no trusted proxies they
 * are ignored.
 */
public final class OriginPolicy {

    public enum Decision {
        ALLOWED,
        REFUSED,
        /** Allowed only through forwarded headers, from a peer not known yet: allowed if it is a trusted proxy. */
        IF_TRUSTED_PEER
    }

    private final Set<Origin> allowed;
    private final Set<String> trustedProxies;
    private final String ownScheme;

    /**
     * @param allowedOrigins WS_ALLOWED_ORIGINS: origins allowed besides the gateway's own
     * @param trustedProxies TRUSTED_PROXIES: peers (exact IPs) whose forwarded headers are believed
     * @param tls            whether the gateway serves HTTPS and WSS itself
     */
    public OriginPolicy(Set<String> allowedOrigins, Set<String> trustedProxies, boolean tls) {
        this.allowed = allowedOrigins.stream().map(Origin::configured).collect(Collectors.toUnmodifiableSet());
        this.trustedProxies = Set.copyOf(trustedProxies);
        this.ownScheme = tls ? "https" : "http";
    }

    public Decision decide(OriginRequest request) {
        if (request.origin().isEmpty()) {
            return Decision.ALLOWED;
        }
        Optional<Origin> origin = Origin.parse(request.origin().get());
        if (origin.isEmpty()) {
            return Decision.REFUSED;
        }
        if (allowed.contains(origin.get()) || described(ownScheme, request.host()).equals(origin)) {
            return Decision.ALLOWED;
        }
        if (trustedProxies.isEmpty() || !forwarded(request).contains(origin.get())) {
            return Decision.REFUSED;
        }
        return request.peer()
                .map(peer -> trustedProxies.contains(peer) ? Decision.ALLOWED : Decision.REFUSED)
                .orElse(Decision.IF_TRUSTED_PEER);
    }

    /**
     * The whole decision for a request whose TCP peer is known (an HTTP request): whether its {@code Origin}, if
     * any, is allowed. For CORS, which must answer with the same allow-list as the WebSocket.
     */
    public boolean allows(OriginRequest request, SocketAddress peer) {
        return decide(request.from(peer)) == Decision.ALLOWED;
    }

    /** The origins the forwarded headers describe, each filling in what it leaves out from the request itself. */
    private Set<Origin> forwarded(OriginRequest request) {
        Optional<String> proto = request.forwardedProto().map(OriginPolicy::firstValue);
        Optional<String> host = request.forwardedHost().map(OriginPolicy::firstValue);
        ForwardedHop hop = request.forwarded().map(ForwardedHop::first).orElse(ForwardedHop.NONE);
        return Stream.of(forwardedOrigin(proto, host, request), forwardedOrigin(hop.proto(), hop.host(), request))
                .flatMap(Optional::stream)
                .collect(Collectors.toSet());
    }

    private Optional<Origin> forwardedOrigin(Optional<String> proto, Optional<String> host, OriginRequest request) {
        if (proto.isEmpty() && host.isEmpty()) {
            return Optional.empty();
        }
        if (proto.isPresent() && !proto.get().matches("(?i)https?|wss?")) {
            return Optional.empty();
        }
        return described(proto.orElse(ownScheme), host.or(request::host));
    }

    private static Optional<Origin> described(String scheme, Optional<String> authority) {
        return authority.flatMap(hostAndPort -> Origin.parse(scheme + "://" + hostAndPort));
    }

    /** A proxy appends to a list: the first value is what the hop nearest the client saw. */
    private static String firstValue(String header) {
        int comma = header.indexOf(',');
        return (comma < 0 ? header : header.substring(0, comma)).strip();
    }
}
