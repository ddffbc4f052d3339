package io.kchat.gateway.messages;

import java.util.Comparator;

/** One device of one user, as the API names it ({@code {userId, deviceId}}). */
public record DeviceRef(String userId, String deviceId) implements Comparable<DeviceRef> {

    private static final Comparator<DeviceRef> ORDER =
            Comparator.comparing(DeviceRef::userId).thenComparing(DeviceRef::deviceId);

    @Override
    public int compareTo(DeviceRef other) {
        return ORDER.compare(this, other);
    }
}
