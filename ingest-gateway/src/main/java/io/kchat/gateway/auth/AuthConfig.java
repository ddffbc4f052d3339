package io.kchat.gateway.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * Token and session settings, with every default in one place.
 *
 * @param issuer                {@code iss} of access tokens, checked on verify
 * @param audience              {@code aud} of access tokens, checked on verify
 * @param accessTtl             lifetime of an access token
 * @param refreshFamilyLifetime absolute lifetime of a login: rotating refresh tokens never extends it
 * @param maxDevicesPerUser     a login from one more device is refused (409) until another logs out
 * @param publishTimeout        how long a login of a new device (logout) waits for Kafka's ack of its
 *                              DeviceRegistered (DeviceRemoved) before giving up
 */
public record AuthConfig(String issuer, String audience, Duration accessTtl, Duration refreshFamilyLifetime,
                         int maxDevicesPerUser, Duration publishTimeout) {

    public static final String DEFAULT_ISSUER = "kchat";
    public static final String DEFAULT_AUDIENCE = "kchat";
    public static final Duration DEFAULT_ACCESS_TTL = Duration.ofMinutes(15);
    public static final Duration DEFAULT_REFRESH_FAMILY_LIFETIME = Duration.ofDays(30);
    public static final int DEFAULT_MAX_DEVICES_PER_USER = 10;
    /** A little above the gateway producer's delivery.timeout.ms, which fails the send first. */
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(35);
    /** D11: verifiers tolerate this much clock difference between gateways. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    public AuthConfig {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        if (accessTtl.isNegative() || accessTtl.isZero()) {
            throw new IllegalArgumentException("accessTtl must be positive: " + accessTtl);
        }
        if (refreshFamilyLifetime.compareTo(accessTtl) < 0) {
            throw new IllegalArgumentException("refreshFamilyLifetime must be at least accessTtl");
        }
        if (maxDevicesPerUser < 1) {
            throw new IllegalArgumentException("maxDevicesPerUser must be >= 1: " + maxDevicesPerUser);
        }
        if (publishTimeout.isNegative() || publishTimeout.isZero()) {
            throw new IllegalArgumentException("publishTimeout must be positive: " + publishTimeout);
        }
    }

    public static AuthConfig defaults() {
        return new AuthConfig(DEFAULT_ISSUER, DEFAULT_AUDIENCE, DEFAULT_ACCESS_TTL, DEFAULT_REFRESH_FAMILY_LIFETIME,
                DEFAULT_MAX_DEVICES_PER_USER, DEFAULT_PUBLISH_TIMEOUT);
    }

    /** JWT_ISSUER, MAX_DEVICES_PER_USER; everything else at its default. */
    public static AuthConfig fromEnv(java.util.Map<String, String> env) {
        AuthConfig config = defaults();
        if (env.containsKey("JWT_ISSUER")) {
            config = config.withIssuer(env.get("JWT_ISSUER"));
        }
        if (env.containsKey("MAX_DEVICES_PER_USER")) {
            config = config.withMaxDevicesPerUser(Integer.parseInt(env.get("MAX_DEVICES_PER_USER")));
        }
        return config;
    }

    public AuthConfig withIssuer(String value) {
        return new AuthConfig(value, audience, accessTtl, refreshFamilyLifetime, maxDevicesPerUser, publishTimeout);
    }

    public AuthConfig withAccessTtl(Duration value) {
        return new AuthConfig(issuer, audience, value, refreshFamilyLifetime, maxDevicesPerUser, publishTimeout);
    }

    public AuthConfig withRefreshFamilyLifetime(Duration value) {
        return new AuthConfig(issuer, audience, accessTtl, value, maxDevicesPerUser, publishTimeout);
    }

    public AuthConfig withPublishTimeout(Duration value) {
        return new AuthConfig(issuer, audience, accessTtl, refreshFamilyLifetime, maxDevicesPerUser, value);
    }

    public AuthConfig withMaxDevicesPerUser(int value) {
        return new AuthConfig(issuer, audience, accessTtl, refreshFamilyLifetime, value, publishTimeout);
    }
}
