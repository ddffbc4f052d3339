package io.kchat.gateway.otp;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The address a request comes from, for per-client limits: the TCP peer. Only when the peer is one of the
 * configured trusted proxies (TRUSTED_PROXIES, exact IPs) is {@code X-Forwarded-For} believed, and then only
 * its right-most entry that is not itself a trusted proxy: entries further left are whatever the client wrote.
 */
public final class ClientAddress {

    private final Set<String> trustedProxies;

    public ClientAddress(Set<String> trustedProxies) {
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    public String of(ServerRequest request) {
        return resolve(peer(request.remotePeer().address()),
                request.headers().all(HeaderNames.X_FORWARDED_FOR, List::of));
    }

    /** @param forwardedFor the X-Forwarded-For header lines in order, each a comma-separated hop list */
    String resolve(String peer, List<String> forwardedFor) {
        if (!trustedProxies.contains(peer)) {
            return peer;
        }
        List<String> hops = forwardedFor.stream()
                .flatMap(line -> Arrays.stream(line.split(",")))
                .map(String::strip)
                .filter(hop -> !hop.isEmpty())
                .toList();
        for (String hop : hops.reversed()) {
            if (!trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return peer;
    }

    private static String peer(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }
}
