package io.kchat.delivery.push;

/**
 * A device's push subscription (V10 {@code push_subscriptions}): {@code webpush} with an endpoint, the browser's keys
 * and the VAPID key it was made with, or {@code gateway} with a push key and app id for the push gateway.
 */
record Subscription(String userId, String deviceId, Kind kind, String endpoint, byte[] p256dh, byte[] auth,
                    String vapidKeyId, String pushKey, String appId, boolean previews) {

    enum Kind {
        WEBPUSH, GATEWAY;

        /** The tag value of the meters, as the table spells it. */
        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** For logs: whose subscription, never its endpoint or keys (they are bearer capabilities). */
    @Override
    public String toString() {
        return kind.label() + " subscription of " + userId + "/" + deviceId;
    }
}
