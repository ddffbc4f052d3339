package io.kchat.gateway.auth;

import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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

    public static final Setting<String> ISSUER = Setting.text("JWT_ISSUER", DEFAULT_ISSUER,
            "iss of the access tokens, checked on verify");
    public static final Setting<Duration> ACCESS_TTL = Setting.duration("JWT_ACCESS_TTL", DEFAULT_ACCESS_TTL,
                    "lifetime of an access token")
            .formerlyIn(ChronoUnit.SECONDS);
    public static final Setting<Integer> MAX_DEVICES_PER_USER = Setting.integer("MAX_DEVICES_PER_USER",
            DEFAULT_MAX_DEVICES_PER_USER, "a login from one more device is refused until another logs out");
    public static final Setting<String> PASSWORD_DENYLIST_FILE = Setting.optionalText("PASSWORD_DENYLIST_FILE",
            "shipped list", "a file of common passwords replacing the shipped list");
    public static final Setting<List<String>> TRUSTED_PROXIES = Setting.list("TRUSTED_PROXIES",
            "peer addresses (exact IPs) whose X-Forwarded-For is believed");
    public static final List<Setting<?>> SETTINGS =
            List.of(ISSUER, ACCESS_TTL, MAX_DEVICES_PER_USER, PASSWORD_DENYLIST_FILE, TRUSTED_PROXIES);

    /** The settings above; everything else at its default. */
    public static AuthConfig from(Settings settings) {
        return new AuthConfig(settings.get(ISSUER), DEFAULT_AUDIENCE, settings.get(ACCESS_TTL),
                DEFAULT_REFRESH_FAMILY_LIFETIME, settings.get(MAX_DEVICES_PER_USER), DEFAULT_PUBLISH_TIMEOUT,
                settings.find(PASSWORD_DENYLIST_FILE).orElse(null), Set.copyOf(settings.get(TRUSTED_PROXIES)));
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
