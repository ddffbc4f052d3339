package io.kchat.gateway.push;

import static io.kchat.gateway.http.Refusals.refused;
import static io.kchat.gateway.push.PushKeysSamples.auth;
import static io.kchat.gateway.push.PushKeysSamples.b64;
import static io.kchat.gateway.push.PushKeysSamples.offCurve;
import static io.kchat.gateway.push.PushKeysSamples.p256dh;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.http.ApiException;
import io.kchat.schemas.PushEndpoints;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The subscription checks, field by field, with a fixed resolver (no DNS in a unit test). */
class SubscriptionInputTest {

    private static final Map<String, String> HOSTS = Map.of(
            "push.example.net", "93.184.216.34",
            "inside.example.net", "10.1.2.3",
            "metadata.example.net", "169.254.169.254");
    private static final PushEndpoints.Resolver RESOLVER = host -> {
        String address = HOSTS.get(host);
        if (address != null) {
            return List.of(InetAddress.getByName(address));
        }
        if (host.matches("[0-9.]+|\\[[0-9a-fA-F:.]+]")) {
            return List.of(InetAddress.getByName(host)); // a literal: no lookup
        }
        throw new UnknownHostException(host);
    };
    private static final byte[] KEY = p256dh();

    private final SubscriptionInput strict = new SubscriptionInput(PushConfig.defaults(), RESOLVER);

    private static SubscriptionRequest webPush(String endpoint, String p256dh, String auth) {
        return new SubscriptionRequest("webpush", endpoint, new SubscriptionRequest.Keys(p256dh, auth), null, null,
                null);
    }

    private static SubscriptionRequest valid(String endpoint) {
        return webPush(endpoint, b64(KEY), b64(auth()));
    }

    @Test
    void aBrowserSubscriptionToAPublicHttpsEndpointIsTaken() {
        var subscription = assertInstanceOf(PushSubscription.WebPush.class,
                strict.check(valid("https://push.example.net/wpush/abc")));
        assertEquals(URI.create("https://push.example.net/wpush/abc"), subscription.endpoint());
        assertArrayEquals(KEY, subscription.p256dh());
        assertArrayEquals(auth(), subscription.auth());
        assertFalse(subscription.previews());
        assertTrue(strict.check(new SubscriptionRequest("webpush", "https://push.example.net/x",
                new SubscriptionRequest.Keys(b64(KEY), b64(auth())), null, null, true)).previews());
    }

    @Test
    void endpointsTheSenderMustNotCallAreRefusedNamingTheEndpoint() {
        for (String endpoint : List.of("http://push.example.net/x", "https://127.0.0.1/x", "https://10.0.0.8/x",
                "https://192.168.1.1/x", "https://169.254.169.254/latest/meta-data", "https://[::1]/x",
                "https://[fe80::1]/x", "https://inside.example.net/x", "https://metadata.example.net/x",
                "https://unknown.example.net/x", "ftp://push.example.net/x", "not a url",
                "https://push.example.net/" + "a".repeat(PushEndpoints.MAX_LENGTH))) {
            ApiException e = refused(() -> strict.check(valid(endpoint)));
            assertEquals(400, e.status(), endpoint);
            assertEquals("invalid endpoint", e.title(), endpoint);
        }
    }

    @Test
    void theOperatorMayAllowHttpAndPrivateAddresses() {
        SubscriptionInput lenient = new SubscriptionInput(new PushConfig(true, true, Optional.empty()), RESOLVER);
        assertInstanceOf(PushSubscription.WebPush.class, lenient.check(valid("http://inside.example.net/x")));
        assertInstanceOf(PushSubscription.WebPush.class, lenient.check(valid("http://127.0.0.1:8443/x")));
        SubscriptionInput httpOnly = new SubscriptionInput(new PushConfig(true, false, Optional.empty()), RESOLVER);
        assertEquals(400, refused(() -> httpOnly.check(valid("http://127.0.0.1/x"))).status(),
                "http allowed is no private address allowed");
    }

    @Test
    void keysMustBeAPointOnTheCurveAndASixteenByteSecret() {
        String endpoint = "https://push.example.net/x";
        Map<SubscriptionRequest, String> wrong = Map.of(
                webPush(endpoint, b64(offCurve()), b64(auth())), "invalid keys.p256dh",
                webPush(endpoint, b64(Arrays.copyOf(KEY, 64)), b64(auth())), "invalid keys.p256dh",
                webPush(endpoint, b64(Arrays.copyOf(KEY, 66)), b64(auth())), "invalid keys.p256dh",
                webPush(endpoint, b64(compressedPrefix()), b64(auth())), "invalid keys.p256dh",
                webPush(endpoint, "not*base64", b64(auth())), "invalid keys.p256dh",
                webPush(endpoint, b64(KEY), b64(new byte[15])), "invalid keys.auth",
                webPush(endpoint, b64(KEY), b64(new byte[17])), "invalid keys.auth",
                webPush(endpoint, b64(KEY), "+/+/"), "invalid keys.auth",
                webPush(endpoint, b64(KEY), null), "invalid keys.auth",
                new SubscriptionRequest("webpush", endpoint, null, null, null, null), "invalid keys");
        wrong.forEach((request, title) -> {
            ApiException e = refused(() -> strict.check(request));
            assertEquals(400, e.status(), title);
            assertEquals(title, e.title(), String.valueOf(e.detail()));
        });
    }

    @Test
    void unknownOrMissingKindsAndFieldsOfTheOtherKindAreRefused() {
        assertEquals("invalid kind", refused(() -> strict.check(new SubscriptionRequest("apns", null, null, null,
                null, null))).title());
        assertEquals("invalid kind", refused(() -> strict.check(new SubscriptionRequest(null, null, null, null,
                null, null))).title());
        assertEquals("invalid pushKey", refused(() -> strict.check(new SubscriptionRequest("webpush",
                "https://push.example.net/x", new SubscriptionRequest.Keys(b64(KEY), b64(auth())), "k", null,
                null))).title());
    }

    @Test
    void aGatewaySubscriptionNeedsAPushGateway() {
        SubscriptionRequest request = new SubscriptionRequest("gateway", null, null, "token-1", "com.example.app",
                null);
        ApiException e = refused(() -> strict.check(request));
        assertEquals(503, e.status());
        assertEquals("push_gateway_not_configured", e.reason());

        SubscriptionInput configured = new SubscriptionInput(
                PushConfig.defaults().withGatewayUrl(URI.create("https://push-gateway.internal/notify")), RESOLVER);
        var subscription = assertInstanceOf(PushSubscription.Gateway.class, configured.check(request));
        assertEquals("token-1", subscription.pushKey());
        assertEquals("com.example.app", subscription.appId());
        for (SubscriptionRequest bad : List.of(
                new SubscriptionRequest("gateway", null, null, "", "app", null),
                new SubscriptionRequest("gateway", null, null, "x".repeat(4097), "app", null),
                new SubscriptionRequest("gateway", null, null, "tab\there", "app", null),
                new SubscriptionRequest("gateway", null, null, "é", "app", null))) {
            assertEquals("invalid pushKey", refused(() -> configured.check(bad)).title());
        }
        assertInstanceOf(PushSubscription.Gateway.class, configured.check(new SubscriptionRequest("gateway", null,
                null, "x".repeat(4096), "app", null)), "4096 characters are allowed");
        for (String appId : List.of("", "a b", "x".repeat(129), "app/id")) {
            assertEquals("invalid appId", refused(() -> configured.check(new SubscriptionRequest("gateway", null,
                    null, "token", appId, null))).title(), appId);
        }
    }

    private static byte[] compressedPrefix() {
        byte[] point = KEY.clone();
        point[0] = 0x02;
        return point;
    }
}
