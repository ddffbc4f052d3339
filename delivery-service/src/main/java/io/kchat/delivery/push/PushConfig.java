package io.kchat.delivery.push;

import io.kchat.schemas.PushEndpoints;
import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import io.kchat.settings.SharedSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the push sender (D15), with every default in this one place.
 *
 * @param gatewayUrl        where {@code gateway} subscriptions are POSTed (a Matrix-style push gateway holding the FCM or
 *                          APNs credentials); empty: such subscriptions are refused
 * @param endpointPolicy    which Web Push endpoints may be called beyond public https ones (the gateway's names)
 * @param vapidSubject      the VAPID {@code sub} claim: a mailto: or https: contact the push services can reach
 * @param ttl               how long a push service keeps a push for an offline device
 * @param maxAttempts       tries of one push, the first included, before it is given up (429, 5xx, I/O errors)
 * @param maxRetryDelay     the longest pause before a retry, a {@code Retry-After} included
 * @param initialRetryDelay the pause before the first retry, doubled for each next one (jittered)
 * @param deviceRate        pushes per minute one device may get; more are skipped
 * @param timeout           connect and answer timeout of one request to a push service
 * @param concurrency       pushes of one batch in flight at once
 * @param cleanupInterval   how often rows of push_deliveries older than {@link #DELIVERY_RECORD_AGE} are deleted
 */
public record PushConfig(Optional<URI> gatewayUrl, PushEndpoints.Policy endpointPolicy, String vapidSubject,
                         Duration ttl, int maxAttempts, Duration maxRetryDelay, Duration initialRetryDelay,
                         int deviceRate, Duration timeout, int concurrency, Duration cleanupInterval) {

    public static final String DEFAULT_VAPID_SUBJECT = "mailto:push@kchat.invalid";
    public static final Duration DEFAULT_TTL = Duration.ofDays(1);
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofSeconds(60);
    public static final Duration DEFAULT_INITIAL_RETRY_DELAY = Duration.ofSeconds(1);
    public static final int DEFAULT_DEVICE_RATE = 30;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_CONCURRENCY = 16;
    public static final Duration DEFAULT_CLEANUP_INTERVAL = Duration.ofHours(1);
    /**
     * Past this a push_deliveries row can no longer stop a repeat: chat.push keeps records a day, so nothing older is
     * read again; two days leave a margin for a consumer that was down.
     */
    public static final Duration DELIVERY_RECORD_AGE = Duration.ofDays(2);

    public static final Setting<String> GATEWAY_URL = SharedSettings.PUSH_GATEWAY_URL;
    public static final Setting<Boolean> ALLOW_HTTP = SharedSettings.PUSH_ALLOW_HTTP;
    public static final Setting<Boolean> ALLOW_PRIVATE_ENDPOINTS = SharedSettings.PUSH_ALLOW_PRIVATE_ENDPOINTS;
    public static final Setting<String> VAPID_SUBJECT = Setting.text("PUSH_VAPID_SUBJECT", DEFAULT_VAPID_SUBJECT,
            "VAPID sub claim: a mailto: or https: contact for the push services");
    public static final Setting<Duration> TTL = Setting.duration("PUSH_TTL", DEFAULT_TTL,
            "how long a push service keeps a push for an offline device");
    public static final Setting<Integer> MAX_ATTEMPTS = Setting.integer("PUSH_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS,
            "tries of one push before it is given up");
    public static final Setting<Duration> MAX_RETRY_DELAY = Setting.duration("PUSH_MAX_RETRY_DELAY",
            DEFAULT_MAX_RETRY_DELAY, "longest pause before a retry, Retry-After included");
    public static final Setting<Integer> DEVICE_RATE = Setting.integer("PUSH_DEVICE_RATE", DEFAULT_DEVICE_RATE,
            "pushes per minute one device may get");
    public static final Setting<Duration> TIMEOUT = Setting.duration("PUSH_TIMEOUT", DEFAULT_TIMEOUT,
            "connect and answer timeout of one push request");
    public static final Setting<Integer> CONCURRENCY = Setting.integer("PUSH_CONCURRENCY", DEFAULT_CONCURRENCY,
            "pushes in flight at once");

    public static final PushConfig DEFAULTS = new PushConfig(Optional.empty(), PushEndpoints.Policy.STRICT,
            DEFAULT_VAPID_SUBJECT, DEFAULT_TTL, DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_RETRY_DELAY,
            DEFAULT_INITIAL_RETRY_DELAY, DEFAULT_DEVICE_RATE, DEFAULT_TIMEOUT, DEFAULT_CONCURRENCY,
            DEFAULT_CLEANUP_INTERVAL);

    public PushConfig {
        Objects.requireNonNull(gatewayUrl, "gatewayUrl");
        Objects.requireNonNull(endpointPolicy, "endpointPolicy");
        Objects.requireNonNull(vapidSubject, "vapidSubject");
        String subject = vapidSubject.toLowerCase(Locale.ROOT);
        if (!(subject.startsWith("mailto:") && subject.length() > 7) && !subject.startsWith("https://")) {
            // RFC 8292 §2.1: the push service must be able to reach the sender
            throw new IllegalArgumentException(VAPID_SUBJECT.name() + " must be a mailto: or https: URI");
        }
        gatewayUrl.ifPresent(url -> {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                throw new IllegalArgumentException(GATEWAY_URL.name() + " must be an absolute http(s) URL");
            }
        });
        requirePositive(ttl, "ttl");
        requirePositive(maxRetryDelay, "maxRetryDelay");
        requirePositive(initialRetryDelay, "initialRetryDelay");
        requirePositive(timeout, "timeout");
        requirePositive(cleanupInterval, "cleanupInterval");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        if (deviceRate < 1) {
            throw new IllegalArgumentException("deviceRate must be >= 1");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1");
        }
    }

    /** Every push setting, for the service's catalogue. */
    public static List<Setting<?>> settings() {
        return List.of(GATEWAY_URL, ALLOW_HTTP, ALLOW_PRIVATE_ENDPOINTS, VAPID_SUBJECT, TTL, MAX_ATTEMPTS,
                MAX_RETRY_DELAY, DEVICE_RATE, TIMEOUT, CONCURRENCY);
    }

    public static PushConfig from(Settings settings) {
        return new PushConfig(SharedSettings.pushGatewayUrl(settings),
                new PushEndpoints.Policy(settings.get(ALLOW_HTTP), settings.get(ALLOW_PRIVATE_ENDPOINTS)),
                settings.get(VAPID_SUBJECT), settings.get(TTL), settings.get(MAX_ATTEMPTS),
                settings.get(MAX_RETRY_DELAY), DEFAULT_INITIAL_RETRY_DELAY, settings.get(DEVICE_RATE),
                settings.get(TIMEOUT), settings.get(CONCURRENCY), DEFAULT_CLEANUP_INTERVAL);
    }

    public PushConfig withGatewayUrl(URI url) {
        return new PushConfig(Optional.of(url), endpointPolicy, vapidSubject, ttl, maxAttempts, maxRetryDelay,
                initialRetryDelay, deviceRate, timeout, concurrency, cleanupInterval);
    }

    public PushConfig withEndpointPolicy(PushEndpoints.Policy policy) {
        return new PushConfig(gatewayUrl, policy, vapidSubject, ttl, maxAttempts, maxRetryDelay, initialRetryDelay,
                deviceRate, timeout, concurrency, cleanupInterval);
    }

    public PushConfig withDeviceRate(int rate) {
        return new PushConfig(gatewayUrl, endpointPolicy, vapidSubject, ttl, maxAttempts, maxRetryDelay,
                initialRetryDelay, rate, timeout, concurrency, cleanupInterval);
    }

    public PushConfig withRetries(int attempts, Duration initialDelay, Duration maxDelay) {
        return new PushConfig(gatewayUrl, endpointPolicy, vapidSubject, ttl, attempts, maxDelay, initialDelay,
                deviceRate, timeout, concurrency, cleanupInterval);
    }

    public PushConfig withTimeout(Duration newTimeout) {
        return new PushConfig(gatewayUrl, endpointPolicy, vapidSubject, ttl, maxAttempts, maxRetryDelay,
                initialRetryDelay, deviceRate, newTimeout, concurrency, cleanupInterval);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
