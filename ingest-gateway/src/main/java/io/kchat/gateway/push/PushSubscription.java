package io.kchat.gateway.push;

import java.net.URI;

/** A device's checked push subscription, as push_subscriptions keeps it (one per device). */
public sealed interface PushSubscription {

    /** Whether pushes may show who wrote and what (plain conversations only; the sender decides). */
    boolean previews();

    /**
     * Web Push (RFC 8030) to a browser's push service, encrypted to {@code p256dh} with {@code auth} (RFC 8291).
     *
     * @param p256dh the browser's raw P-256 point, 65 bytes, on the curve
     * @param auth   the 16-byte authentication secret
     */
    record WebPush(URI endpoint, byte[] p256dh, byte[] auth, boolean previews) implements PushSubscription {
        public static final String KIND = "webpush";
    }

    /** A native app's token, turned into an FCM or APNs notification by the push gateway at PUSH_GATEWAY_URL. */
    record Gateway(String pushKey, String appId, boolean previews) implements PushSubscription {
        public static final String KIND = "gateway";
    }
}
