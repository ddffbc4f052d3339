package io.kchat.gateway.otp;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Phone-code login settings, with every default in one place.
 *
 * @param codeTtl              how long a code may be used
 * @param maxAttempts          wrong guesses after which a code is dead
 * @param maxRequestsPerPhone  code requests per phone number per {@code throttleWindow}
 * @param maxRequestsPerIp     code requests per client address per {@code throttleWindow}
 * @param throttleWindow       the sliding window of both request limits
 * @param sender               who delivers the codes
 * @param webhookUrl           for {@link Sender#WEBHOOK}: where {@code {to, text}} is POSTed
 * @param webhookHeaders       for {@link Sender#WEBHOOK}: added to every POST (e.g. Authorization)
 * @param webhookTimeout       for {@link Sender#WEBHOOK}: connect and answer time allowed
 */
public record OtpConfig(Duration codeTtl, int maxAttempts, int maxRequestsPerPhone, int maxRequestsPerIp,
                        Duration throttleWindow, Sender sender, URI webhookUrl, Map<String, String> webhookHeaders,
                        Duration webhookTimeout) {

    /** How codes reach the phone. */
    public enum Sender {
        /** Writes the code to the gateway's log: local development only. */
        LOG,
        /** POSTs JSON to an SMS provider (or a relay in front of one). */
        WEBHOOK
    }

    public static final Duration DEFAULT_CODE_TTL = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final int DEFAULT_MAX_REQUESTS_PER_PHONE = 5;
    public static final int DEFAULT_MAX_REQUESTS_PER_IP = 20;
    public static final Duration DEFAULT_THROTTLE_WINDOW = Duration.ofHours(1);
    public static final Duration DEFAULT_WEBHOOK_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    public OtpConfig {
        Objects.requireNonNull(sender, "sender");
        webhookHeaders = Map.copyOf(webhookHeaders);
        requirePositive(codeTtl, "OTP_CODE_TTL_SECONDS");
        requirePositive(throttleWindow, "throttleWindow");
        requirePositive(webhookTimeout, "OTP_WEBHOOK_TIMEOUT_MS");
        if (maxAttempts < 1 || maxRequestsPerPhone < 1 || maxRequestsPerIp < 1) {
            throw new IllegalArgumentException("OTP attempt and request limits must be at least 1");
        }
        if (sender == Sender.WEBHOOK && (webhookUrl == null
                || !("http".equals(webhookUrl.getScheme()) || "https".equals(webhookUrl.getScheme())))) {
            throw new IllegalArgumentException("OTP_SENDER=webhook needs OTP_WEBHOOK_URL, an http(s) URL");
        }
        webhookHeaders.keySet().forEach(name -> {
            if (!HEADER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("OTP_WEBHOOK_HEADERS: invalid header name '" + name + "'");
            }
        });
    }

    public static OtpConfig defaults() {
        return new OtpConfig(DEFAULT_CODE_TTL, DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_REQUESTS_PER_PHONE,
                DEFAULT_MAX_REQUESTS_PER_IP, DEFAULT_THROTTLE_WINDOW, Sender.LOG, null, Map.of(),
                DEFAULT_WEBHOOK_TIMEOUT);
    }

    /**
     * OTP_SENDER (log | webhook), OTP_WEBHOOK_URL, OTP_WEBHOOK_HEADERS ({@code "Name: value;Other: value"}),
     * OTP_WEBHOOK_TIMEOUT_MS, OTP_CODE_TTL_SECONDS, OTP_MAX_ATTEMPTS, OTP_MAX_REQUESTS_PER_PHONE_HOUR,
     * OTP_MAX_REQUESTS_PER_IP_HOUR.
     */
    public static OtpConfig fromEnv(Map<String, String> env) {
        OtpConfig d = defaults();
        String url = env.get("OTP_WEBHOOK_URL");
        return new OtpConfig(
                env.containsKey("OTP_CODE_TTL_SECONDS")
                        ? Duration.ofSeconds(Long.parseLong(env.get("OTP_CODE_TTL_SECONDS").strip())) : d.codeTtl,
                intOr(env, "OTP_MAX_ATTEMPTS", d.maxAttempts),
                intOr(env, "OTP_MAX_REQUESTS_PER_PHONE_HOUR", d.maxRequestsPerPhone),
                intOr(env, "OTP_MAX_REQUESTS_PER_IP_HOUR", d.maxRequestsPerIp),
                d.throttleWindow,
                Sender.valueOf(env.getOrDefault("OTP_SENDER", "log").strip().toUpperCase(Locale.ROOT)),
                url == null || url.isBlank() ? null : URI.create(url.strip()),
                parseHeaders(env.getOrDefault("OTP_WEBHOOK_HEADERS", "")),
                env.containsKey("OTP_WEBHOOK_TIMEOUT_MS")
                        ? Duration.ofMillis(Long.parseLong(env.get("OTP_WEBHOOK_TIMEOUT_MS").strip()))
                        : d.webhookTimeout);
    }

    public OtpConfig withLimits(int perPhone, int perIp) {
        return new OtpConfig(codeTtl, maxAttempts, perPhone, perIp, throttleWindow, sender, webhookUrl,
                webhookHeaders, webhookTimeout);
    }

    /** {@code "Authorization: Bearer x;X-Other: y"}: pairs split at ';', name and value at the first ':'. */
    static Map<String, String> parseHeaders(String spec) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String pair : spec.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("OTP_WEBHOOK_HEADERS: expected 'Name: value', got a pair without ':'");
            }
            headers.put(pair.substring(0, colon).strip(), pair.substring(colon + 1).strip());
        }
        return headers;
    }

    private static int intOr(Map<String, String> env, String name, int fallback) {
        return env.containsKey(name) ? Integer.parseInt(env.get(name).strip()) : fallback;
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
