package io.kchat.gateway.origins;

import static io.kchat.gateway.origins.OriginPolicy.Decision.ALLOWED;
import static io.kchat.gateway.origins.OriginPolicy.Decision.IF_TRUSTED_PEER;
import static io.kchat.gateway.origins.OriginPolicy.Decision.REFUSED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OriginPolicyTest {

    private static final String PROXY = "10.0.0.10";
    private static final OriginPolicy DEFAULTS = new OriginPolicy(Set.of(), Set.of(), false);
    private static final OriginPolicy BEHIND_PROXY = new OriginPolicy(Set.of(), Set.of(PROXY), false);

    @Test
    void aRequestWithoutOriginIsAllowed() {
        assertEquals(ALLOWED, DEFAULTS.decide(request(null, "gw.example:8080")));
        assertEquals(ALLOWED, DEFAULTS.decide(request(null, null)));
    }

    @Test
    void byDefaultOnlyTheOwnOriginByHostIsAllowed() {
        assertEquals(ALLOWED, DEFAULTS.decide(request("http://gw.example:8080", "gw.example:8080")));
        assertEquals(REFUSED, DEFAULTS.decide(request("https://evil.example", "gw.example:8080")));
        assertEquals(REFUSED, DEFAULTS.decide(request("http://gw.example:8081", "gw.example:8080")), "another port");
        assertEquals(REFUSED, DEFAULTS.decide(request("http://gw.example.evil:8080", "gw.example:8080")));
        assertEquals(REFUSED, DEFAULTS.decide(request("http://gw.example", null)), "no Host: no own origin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://Example.com:80", "HTTP://EXAMPLE.COM", "http://example.com", "ws://example.com:80"})
    void originsAreComparedNormalised(String origin) {
        assertEquals(ALLOWED, DEFAULTS.decide(request(origin, "example.com")));
        assertEquals(ALLOWED, DEFAULTS.decide(request(origin, "EXAMPLE.com:80")));
    }

    @Test
    void withTlsTheOwnSchemeIsHttps() {
        OriginPolicy tls = new OriginPolicy(Set.of(), Set.of(), true);

        assertEquals(ALLOWED, tls.decide(request("https://chat.example", "chat.example")));
        assertEquals(ALLOWED, tls.decide(request("https://chat.example:443", "chat.example:443")));
        assertEquals(ALLOWED, tls.decide(request("https://chat.example:8443", "chat.example:8443")));
        assertEquals(REFUSED, tls.decide(request("http://chat.example", "chat.example")));
        assertEquals(REFUSED, DEFAULTS.decide(request("https://chat.example", "chat.example")), "no TLS: http");
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "", "https://chat.example/", "https://chat.example/app", "https://u@chat.example",
            "https://chat.example?x", "https://chat.example#x", "chat.example", "https://chat.example:0",
            "https://chat.example:70000"})
    void anOriginThatIsNoOriginIsRefused(String origin) {
        OriginPolicy policy = new OriginPolicy(Set.of("https://chat.example"), Set.of(), true);

        assertEquals(REFUSED, policy.decide(request(origin, "chat.example")), origin);
    }

    @Test
    void aHostHeaderThatIsNoAuthorityGivesNoOwnOrigin() {
        assertEquals(REFUSED, DEFAULTS.decide(request("http://evil.example", "evil.example/x@gw.example")));
        assertEquals(REFUSED, DEFAULTS.decide(request("http://evil.example", "evil.example#")));
    }

    @Test
    void configuredOriginsAreAddedToTheOwnOne() {
        OriginPolicy policy = new OriginPolicy(Set.of("https://App.example:443", "http://localhost:5173"), Set.of(),
                false);

        assertEquals(ALLOWED, policy.decide(request("https://app.example", "gw.internal:8080")));
        assertEquals(ALLOWED, policy.decide(request("http://localhost:5173", "gw.internal:8080")));
        assertEquals(ALLOWED, policy.decide(request("http://gw.internal:8080", "gw.internal:8080")), "own origin");
        assertEquals(REFUSED, policy.decide(request("https://app.example:8443", "gw.internal:8080")));
        assertEquals(REFUSED, policy.decide(request("http://app.example", "gw.internal:8080")));
        assertEquals(REFUSED, policy.decide(request("https://evil.example", "gw.internal:8080")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "https://*.example.com", "null", "chat.example.com", "https://chat.example.com/",
            "https://chat.example.com/app"})
    void aConfiguredEntryThatIsNoExactOriginIsRefusedAtStart(String entry) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new OriginPolicy(Set.of(entry), Set.of(), false));
        assertTrue(refused.getMessage().contains("WS_ALLOWED_ORIGINS"), refused.getMessage());
    }

    @Test
    void forwardedHeadersAreIgnoredWithoutTrustedProxies() {
        OriginRequest forwarded = forwarded("https://chat.example", "https", "chat.example");

        assertEquals(REFUSED, DEFAULTS.decide(forwarded));
        assertEquals(REFUSED, DEFAULTS.decide(forwarded.from(peer(PROXY))));
    }

    @Test
    void aForwardedOriginIsOwnOnlyFromATrustedProxy() {
        OriginRequest forwarded = forwarded("https://chat.example", "https", "chat.example");

        // at the upgrade the peer is not known yet: the open socket settles it
        assertEquals(IF_TRUSTED_PEER, BEHIND_PROXY.decide(forwarded));
        assertEquals(ALLOWED, BEHIND_PROXY.decide(forwarded.from(peer(PROXY))));
        assertEquals(REFUSED, BEHIND_PROXY.decide(forwarded.from(peer("203.0.113.9"))));
        assertEquals(REFUSED, BEHIND_PROXY.decide(forwarded("https://evil.example", "https", "chat.example")),
                "an origin no header describes is refused at once");
        assertEquals(ALLOWED, BEHIND_PROXY.decide(request("http://gw.internal:8080", "gw.internal:8080")
                .from(peer("203.0.113.9"))), "the own origin by Host needs no trusted peer");
    }

    @Test
    void aForwardedOriginTakesWhatItLeavesOutFromTheRequest() {
        // a TLS-terminating balancer that keeps Host and says only the scheme
        OriginRequest protoOnly = headers("https://chat.example", "chat.example")
                .set(HeaderNames.X_FORWARDED_PROTO, "https").toRequest();
        assertEquals(ALLOWED, BEHIND_PROXY.decide(protoOnly.from(peer(PROXY))));

        OriginRequest hostOnly = headers("http://chat.example", "gw.internal:8080")
                .set(HeaderNames.X_FORWARDED_HOST, "chat.example").toRequest();
        assertEquals(ALLOWED, BEHIND_PROXY.decide(hostOnly.from(peer(PROXY))));
        assertEquals(REFUSED, BEHIND_PROXY.decide(forwarded("https://chat.example", "gopher", "chat.example")
                .from(peer(PROXY))), "a proto that is no web scheme describes nothing");
    }

    @Test
    void theFirstHopOfAForwardedListIsTheOneTheBrowserUsed() {
        OriginRequest chained = forwarded("https://chat.example", "https, http", "chat.example, lb.internal:8080");

        assertEquals(ALLOWED, BEHIND_PROXY.decide(chained.from(peer(PROXY))));
        assertEquals(REFUSED, BEHIND_PROXY.decide(forwarded("http://lb.internal:8080", "https, http",
                "chat.example, lb.internal:8080").from(peer(PROXY))));
    }

    @Test
    void rfc7239ForwardedDescribesAnOriginToo() {
        OriginRequest request = headers("https://chat.example:8443", "gw.internal:8080")
                .set(HeaderNames.FORWARDED, "for=198.51.100.7;Proto=https;host=\"chat.example:8443\", for=10.0.0.9;"
                        + "proto=http;host=lb.internal").toRequest();

        assertEquals(ALLOWED, BEHIND_PROXY.decide(request.from(peer(PROXY))));
        assertEquals(REFUSED, BEHIND_PROXY.decide(request.from(peer("198.51.100.7"))));
        assertEquals(REFUSED, DEFAULTS.decide(request.from(peer(PROXY))));
    }

    @Test
    void aForwardedFirstHopIsReadThroughQuotesAndEscapes() {
        assertEquals(new ForwardedHop(Optional.of("https"), Optional.of("[2001:db8::1]:8443")),
                ForwardedHop.first("for=\"[2001:db8::7]\";proto=https;host=\"[2001:db8::1]:8443\""));
        assertEquals(new ForwardedHop(Optional.empty(), Optional.of("a,b;c")),
                ForwardedHop.first("for=x;host=\"a,b;c\", host=second"));
        assertEquals(new ForwardedHop(Optional.of("https"), Optional.of("q\"x")),
                ForwardedHop.first(" proto = https ; host=\"q\\\"x\" ;proto=http"));
        assertEquals(ForwardedHop.NONE, ForwardedHop.first("for=198.51.100.7, proto=https"));
        assertEquals(ForwardedHop.NONE, ForwardedHop.first(""));
    }

    private static OriginRequest request(String origin, String host) {
        return headers(origin, host).toRequest();
    }

    private static OriginRequest forwarded(String origin, String proto, String host) {
        return headers(origin, "gw.internal:8080")
                .set(HeaderNames.X_FORWARDED_PROTO, proto)
                .set(HeaderNames.X_FORWARDED_HOST, host)
                .toRequest();
    }

    private static RequestHeaders headers(String origin, String host) {
        RequestHeaders headers = new RequestHeaders();
        if (origin != null) {
            headers.set(HeaderNames.ORIGIN, origin);
        }
        if (host != null) {
            headers.set(HeaderNames.HOST, host);
        }
        return headers;
    }

    private static InetSocketAddress peer(String ip) {
        return new InetSocketAddress(ip, 40_000);
    }

    /** Headers as Helidon hands them to the listener, read the way the endpoint reads them. */
    private static final class RequestHeaders {
        private final WritableHeaders<?> headers = WritableHeaders.create();

        RequestHeaders set(HeaderName name, String value) {
            headers.set(name, value);
            return this;
        }

        OriginRequest toRequest() {
            return OriginRequest.of(headers);
        }
    }
}
