package io.kchat.gateway.push;

import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.keys.P256;
import io.kchat.schemas.PushEndpoints;
import java.net.URI;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Turns a subscription body into a {@link PushSubscription} or refuses it naming the field: a webpush endpoint only
 * where {@link PushEndpoints} allows (the server will POST to it: https to public addresses unless the operator
 * allows more, its host resolved now), keys of exactly the sizes RFC 8291 uses, and a p256dh on the curve, since the
 * sender does ECDH with it.
 */
final class SubscriptionInput {

    static final int AUTH_BYTES = 16;
    static final int MAX_PUSH_KEY_CHARS = 4096;
    /** FCM and APNs tokens and app ids are ASCII; no control characters reach the push gateway's JSON or logs. */
    private static final Pattern PUSH_KEY = Pattern.compile("[\\x20-\\x7e]{1," + MAX_PUSH_KEY_CHARS + "}");
    private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    /** Longer than any base64url of 65 bytes: refused before decoding. */
    private static final int MAX_KEY_CHARS = 128;

    private final PushConfig config;
    private final PushEndpoints.Resolver resolver;

    SubscriptionInput(PushConfig config, PushEndpoints.Resolver resolver) {
        this.config = config;
        this.resolver = resolver;
    }

    PushSubscription check(SubscriptionRequest request) {
        String kind = required(request.kind(), "kind");
        boolean previews = Boolean.TRUE.equals(request.previews());
        return switch (kind) {
            case PushSubscription.WebPush.KIND -> webPush(request, previews);
            case PushSubscription.Gateway.KIND -> gateway(request, previews);
            default -> throw invalid("kind", "kind must be \"webpush\" or \"gateway\"");
        };
    }

    private PushSubscription.WebPush webPush(SubscriptionRequest request, boolean previews) {
        absent(request.pushKey(), "pushKey", "webpush");
        absent(request.appId(), "appId", "webpush");
        URI endpoint;
        try {
            endpoint = PushEndpoints.parse(required(request.endpoint(), "endpoint"), config.policy());
            PushEndpoints.requirePublic(endpoint, config.policy(), resolver);
        } catch (PushEndpoints.Refused e) {
            throw invalid("endpoint", e.getMessage());
        }
        SubscriptionRequest.Keys keys = required(request.keys(), "keys");
        byte[] p256dh = base64Url(required(keys.p256dh(), "keys.p256dh"), "keys.p256dh");
        if (p256dh.length != P256.RAW_KEY_BYTES || p256dh[0] != 0x04) {
            throw invalid("keys.p256dh", "keys.p256dh must be an uncompressed P-256 point (65 bytes, 0x04 first)");
        }
        if (P256.publicKey(p256dh).isEmpty()) {
            throw invalid("keys.p256dh", "keys.p256dh is not a point on P-256");
        }
        byte[] auth = base64Url(required(keys.auth(), "keys.auth"), "keys.auth");
        if (auth.length != AUTH_BYTES) {
            throw invalid("keys.auth", "keys.auth must be " + AUTH_BYTES + " bytes");
        }
        return new PushSubscription.WebPush(endpoint, p256dh, auth, previews);
    }

    private PushSubscription.Gateway gateway(SubscriptionRequest request, boolean previews) {
        absent(request.endpoint(), "endpoint", "gateway");
        absent(request.keys(), "keys", "gateway");
        if (config.gatewayUrl().isEmpty()) {
            throw Refusal.unavailable("push gateway is not configured (PUSH_GATEWAY_URL)")
                    .withReason("push_gateway_not_configured");
        }
        String pushKey = required(request.pushKey(), "pushKey");
        if (!PUSH_KEY.matcher(pushKey).matches()) {
            throw invalid("pushKey", "pushKey must be 1 to " + MAX_PUSH_KEY_CHARS + " printable ASCII characters");
        }
        String appId = required(request.appId(), "appId");
        if (!APP_ID.matcher(appId).matches()) {
            throw invalid("appId", "appId must be 1 to 128 of [A-Za-z0-9._-]");
        }
        return new PushSubscription.Gateway(pushKey, appId, previews);
    }

    private static byte[] base64Url(String text, String field) {
        if (text.length() > MAX_KEY_CHARS) {
            throw invalid(field, field + " is too long");
        }
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw invalid(field, field + " must be base64url");
        }
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw invalid(field, field + " is required");
        }
        return value;
    }

    private static void absent(Object value, String field, String kind) {
        if (value != null) {
            throw invalid(field, field + " is not a field of a " + kind + " subscription");
        }
    }

    private static Refusal invalid(String field, String detail) {
        return Refusal.invalid("invalid " + field, detail);
    }
}
