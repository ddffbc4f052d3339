package io.kchat.gateway.push;

/**
 * The body of {@code PUT /v1/devices/me/push}, both kinds in one shape: {@code webpush} takes {@code endpoint} and
 * {@code keys} (what a browser's {@code PushSubscription.toJSON()} holds), {@code gateway} takes {@code pushKey} and
 * {@code appId}; {@code previews} (default false) lets pushes carry the sender's name and the text.
 */
public record SubscriptionRequest(String kind, String endpoint, Keys keys, String pushKey, String appId,
                                  Boolean previews) {

    /** The browser's keys, base64url: its P-256 point and its authentication secret. */
    public record Keys(String p256dh, String auth) {
    }
}
