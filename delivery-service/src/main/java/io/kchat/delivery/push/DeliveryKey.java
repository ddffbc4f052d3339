package io.kchat.delivery.push;

/** One push: what push_deliveries is keyed by, so that each is sent once (D15). */
record DeliveryKey(String userId, String deviceId, String conversationId, long seq) {

    @Override
    public String toString() {
        return userId + "/" + deviceId + " " + conversationId + "#" + seq;
    }
}
