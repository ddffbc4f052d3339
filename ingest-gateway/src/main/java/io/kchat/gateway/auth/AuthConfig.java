package io.kchat.gateway.auth;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Token, session, password and OTP settings, with every default in one place.
 *
 * @param issuer                {@code iss} of access tokens, checked on verify
 * @param audience              {@code aud} of access tokens, checked on verify
 * @param accessTtl             lifetime of an access token
 * @param refreshFamilyLifetime absolute lifetime of a login: rotating refresh tokens never extends it
 * @param maxDevicesPerUser     a login from one more device is refused (409) until another logs out
 * @param publishTimeout        how long a login of a new device (logout) waits for Kafka's ack of its
 *                              DeviceRegistered (DeviceRemoved) before giving up
 * @param passwordDenylistFile  a file of common passwords replacing the shipped list; null: the shipped list
 * @param trustedProxies        peer addresses (exact IPs) whose {@code X-Forwarded-For} is believed; empty: the
 *                              TCP peer is the client
 */
public record AuthConfig(String issuer, String audience, Duration accessTtl, Duration refreshFamilyLifetime,
                         int maxDevicesPerUser, Duration publishTimeout, String passwordDenylistFile,
                         Set<String> trustedProxies) {

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
        trustedProxies = Set.copyOf(trustedProxies);
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

    /** With the shipped password list and no trusted proxies. */
    public AuthConfig(String issuer, String audience, Duration accessTtl, Duration refreshFamilyLifetime,
                      int maxDevicesPerUser, Duration publishTimeout) {
        this(issuer, audience, accessTtl, refreshFamilyLifetime, maxDevicesPerUser, publishTimeout, null, Set.of());
    }

    public static AuthConfig defaults() {
        return new AuthConfig(DEFAULT_ISSUER, DEFAULT_AUDIENCE, DEFAULT_ACCESS_TTL, DEFAULT_REFRESH_FAMILY_LIFETIME,
                DEFAULT_MAX_DEVICES_PER_USER, DEFAULT_PUBLISH_TIMEOUT);
    }

    /**
     * JWT_ISSUER, JWT_ACCESS_TTL_SECONDS (900), MAX_DEVICES_PER_USER, PASSWORD_DENYLIST_FILE and TRUSTED_PROXIES
     * (comma-separated IPs); everything else at its default.
     */
    public static AuthConfig fromEnv(Map<String, String> env) {
        AuthConfig config = defaults();
        if (env.containsKey("JWT_ISSUER")) {
            config = config.withIssuer(env.get("JWT_ISSUER"));
        }
        if (env.containsKey("JWT_ACCESS_TTL_SECONDS")) {
            config = config.withAccessTtl(Duration.ofSeconds(Long.parseLong(env.get("JWT_ACCESS_TTL_SECONDS"))));
        }
        if (env.containsKey("MAX_DEVICES_PER_USER")) {
            config = config.withMaxDevicesPerUser(Integer.parseInt(env.get("MAX_DEVICES_PER_USER")));
        }
        Set<String> proxies = Arrays.stream(env.getOrDefault("TRUSTED_PROXIES", "").split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        return new AuthConfig(config.issuer, config.audience, config.accessTtl, config.refreshFamilyLifetime,
                config.maxDevicesPerUser, config.publishTimeout, env.get("PASSWORD_DENYLIST_FILE"), proxies);
    }

    public AuthConfig withIssuer(String value) {
        return new AuthConfig(value, audience, accessTtl, refreshFamilyLifetime, maxDevicesPerUser, publishTimeout,
                passwordDenylistFile, trustedProxies);
    }

    public AuthConfig withAccessTtl(Duration value) {
        return new AuthConfig(issuer, audience, value, refreshFamilyLifetime, maxDevicesPerUser, publishTimeout,
                passwordDenylistFile, trustedProxies);
    }

    public AuthConfig withRefreshFamilyLifetime(Duration value) {
        return new AuthConfig(issuer, audience, accessTtl, value, maxDevicesPerUser, publishTimeout,
                passwordDenylistFile, trustedProxies);
    }

    public AuthConfig withMaxDevicesPerUser(int value) {
        return new AuthConfig(issuer, audience, accessTtl, refreshFamilyLifetime, value, publishTimeout,
                passwordDenylistFile, trustedProxies);
    }

    public AuthConfig withTrustedProxies(Set<String> value) {
        return new AuthConfig(issuer, audience, accessTtl, refreshFamilyLifetime, maxDevicesPerUser, publishTimeout,
                passwordDenylistFile, value);
    }

}
