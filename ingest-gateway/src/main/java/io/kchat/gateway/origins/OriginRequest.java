package io.kchat.gateway.origins;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * What a request to the endpoint says about where it comes from, as {@link OriginPolicy} reads it: header values
 * as sent (the first line of each), and the TCP peer once known. Helidon's {@code onHttpUpgrade} does not see the
 * peer; {@code onOpen} and the HTTP route do.
 *
 * @param origin         {@code Origin}; empty from clients that are not browsers
 * @param host           {@code Host}: the authority the request came to
 * @param forwardedProto {@code X-Forwarded-Proto}
 * @param forwardedHost  {@code X-Forwarded-Host}
 * @param forwarded      {@code Forwarded} (RFC 7239)
 * @param peer           the TCP peer's IP address, empty while not known
 */
public record OriginRequest(Optional<String> origin, Optional<String> host, Optional<String> forwardedProto,
                     Optional<String> forwardedHost, Optional<String> forwarded, Optional<String> peer) {

    /** The request's headers; its peer not known (yet). */
    public static OriginRequest of(Headers headers) {
        return new OriginRequest(headers.first(HeaderNames.ORIGIN), headers.first(HeaderNames.HOST),
                headers.first(HeaderNames.X_FORWARDED_PROTO), headers.first(HeaderNames.X_FORWARDED_HOST),
                headers.first(HeaderNames.FORWARDED), Optional.empty());
    }

    /** The same request, now known to come from {@code address}. */
    public OriginRequest from(SocketAddress address) {
        // the literal IP, as TRUSTED_PROXIES lists them (and as ClientAddress compares them)
        String ip = address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(address);
        return new OriginRequest(origin, host, forwardedProto, forwardedHost, forwarded, Optional.of(ip));
    }
}
