package io.kchat.gateway.contacts;

import io.kchat.gateway.limits.RateLimit;
import io.kchat.gateway.limits.RateLimitSetting;
import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import java.time.Duration;
import java.util.List;

/**
 * @param requestRate     contact requests one user may send: a burst, then a steady rate (per user, per node)
 * @param maxTrackedUsers users whose request rate a node remembers at once
 * @param publishTimeout  how long a change waits for Kafka's ack before answering 503 (the outbox relays it)
 */
public record ContactsConfig(RateLimit requestRate, int maxTrackedUsers, Duration publishTimeout) {

    /**
     * Enough for someone adding the people they know in one sitting (20 at once), then one every 100 seconds: a
     * spammer reaches 36 strangers an hour at most, and each of those can block them. Refused attempts (404, 409)
     * count too, so the limit also slows probing for who exists or who blocked whom.
     */
    public static final RateLimit DEFAULT_REQUEST_RATE = new RateLimit(0.01, 20);
    public static final int DEFAULT_MAX_TRACKED_USERS = 100_000;
    /** As for conversation changes: a little above the producer's delivery.timeout.ms. */
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(35);

    public static final RateLimitSetting REQUEST_RATE = RateLimitSetting.of("CONTACT_REQUEST_RATE",
            DEFAULT_REQUEST_RATE, "contact requests per user");

    public ContactsConfig {
        if (requestRate == null || maxTrackedUsers < 1) {
            throw new IllegalArgumentException("CONTACT_REQUEST_RATE must be set and maxTrackedUsers positive");
        }
        if (publishTimeout == null || publishTimeout.isNegative() || publishTimeout.isZero()) {
            throw new IllegalArgumentException("publishTimeout must be positive: " + publishTimeout);
        }
    }

    public static ContactsConfig defaults() {
        return new ContactsConfig(DEFAULT_REQUEST_RATE, DEFAULT_MAX_TRACKED_USERS, DEFAULT_PUBLISH_TIMEOUT);
    }

    public static ContactsConfig from(Settings settings) {
        return new ContactsConfig(REQUEST_RATE.read(settings), DEFAULT_MAX_TRACKED_USERS, DEFAULT_PUBLISH_TIMEOUT);
    }

    public static List<Setting<?>> settings() {
        return REQUEST_RATE.settings();
    }

    public ContactsConfig withRequestRate(RateLimit value) {
        return new ContactsConfig(value, maxTrackedUsers, publishTimeout);
    }
}
