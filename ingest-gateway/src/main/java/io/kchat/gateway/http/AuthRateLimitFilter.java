package io.kchat.gateway.http;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.kchat.gateway.limits.KeyedRateLimiter;
import io.kchat.gateway.limits.RateLimit;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Per client address limits on the endpoints that take a secret or create an account (login, register, refresh,
 * OTP): over the limit the answer is 429 problem JSON (code {@code rate_limited}) with {@code Retry-After} in
 * seconds, before the body is read. IPv6 clients are counted per /64, which one host usually holds whole.
 *
 * <p>The address is the TCP peer's: behind a proxy or load balancer that does not keep client addresses, every
 * client shares the proxy's budget (forwarded headers are not trusted, since any client can set them).
 */
public final class AuthRateLimitFilter implements Filter {

    private static final Set<String> LIMITED = Set.of("/v1/auth/login", "/v1/auth/register", "/v1/auth/refresh");
    private static final String OTP = "/v1/auth/otp/";
    private static final int IPV6_PREFIX_BYTES = 8;

    private final KeyedRateLimiter<String> perAddress;

    /** @param maxAddresses client addresses tracked at once (bounded memory; see {@link KeyedRateLimiter}) */
    public AuthRateLimitFilter(RateLimit perAddress, int maxAddresses, Clock clock) {
        this.perAddress = new KeyedRateLimiter<>(perAddress, maxAddresses, clock);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        if (limited(request.path().path())) {
            KeyedRateLimiter.Verdict verdict = perAddress.acquire(clientKey(request.remotePeer().address()));
            if (!verdict.admitted()) {
                throw tooManyRequests(verdict.retryAfter());
            }
        }
        chain.proceed();
    }

    /** The decoded path, with repeated and trailing slashes folded as a lenient router might. */
    static boolean limited(String path) {
        String folded = path.replaceAll("/{2,}", "/");
        while (folded.length() > 1 && folded.endsWith("/")) {
            folded = folded.substring(0, folded.length() - 1);
        }
        return LIMITED.contains(folded) || folded.startsWith(OTP) || folded.equals(OTP.substring(0, OTP.length() - 1));
    }

    static String clientKey(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return String.valueOf(address);
        }
        InetAddress ip = inet.getAddress();
        if (ip instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(ip.getAddress(), IPV6_PREFIX_BYTES);
            return "v6:" + HexFormat.of().formatHex(prefix) + "/64";
        }
        return ip.getHostAddress();
    }

    private static ApiException tooManyRequests(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new ApiException(429, ProblemCode.RATE_LIMITED, "too many requests",
                "too many authentication requests from this address; retry in " + seconds + " s",
                Map.of("Retry-After", Long.toString(seconds)));
    }
}
