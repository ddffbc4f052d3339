package io.kchat.gateway.otp;

import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
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
        requirePositive(codeTtl, "OTP_CODE_TTL");
        requirePositive(throttleWindow, "throttleWindow");
        requirePositive(webhookTimeout, "OTP_WEBHOOK_TIMEOUT");
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

    public static final Setting<Sender> SENDER = Setting.choice("OTP_SENDER", Sender.class, Sender.LOG,
            "who delivers the codes: log (the gateway's log, local development only) or webhook");
    public static final Setting<String> WEBHOOK_URL = Setting.optionalText("OTP_WEBHOOK_URL", "",
            "for webhook: where {to, text} is POSTed");
    public static final Setting<String> WEBHOOK_HEADERS = Setting.text("OTP_WEBHOOK_HEADERS", "",
            "for webhook: headers added to every POST, \"Name: value;Other: value\"");
    public static final Setting<Duration> WEBHOOK_TIMEOUT = Setting.duration("OTP_WEBHOOK_TIMEOUT",
                    DEFAULT_WEBHOOK_TIMEOUT, "for webhook: connect and answer time allowed")
            .formerlyIn(ChronoUnit.MILLIS);
    public static final Setting<Duration> CODE_TTL = Setting.duration("OTP_CODE_TTL", DEFAULT_CODE_TTL,
                    "how long a code may be used")
            .formerlyIn(ChronoUnit.SECONDS);
    public static final Setting<Integer> MAX_ATTEMPTS = Setting.integer("OTP_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS,
            "wrong guesses after which a code is dead");
    public static final Setting<Integer> MAX_REQUESTS_PER_PHONE = Setting.integer("OTP_MAX_REQUESTS_PER_PHONE_HOUR",
            DEFAULT_MAX_REQUESTS_PER_PHONE, "code requests per phone number per hour");
    public static final Setting<Integer> MAX_REQUESTS_PER_IP = Setting.integer("OTP_MAX_REQUESTS_PER_IP_HOUR",
            DEFAULT_MAX_REQUESTS_PER_IP, "code requests per client address per hour");
    public static final List<Setting<?>> SETTINGS = List.of(SENDER, WEBHOOK_URL, WEBHOOK_HEADERS, WEBHOOK_TIMEOUT,
            CODE_TTL, MAX_ATTEMPTS, MAX_REQUESTS_PER_PHONE, MAX_REQUESTS_PER_IP);

    public static OtpConfig from(Settings settings) {
        return new OtpConfig(settings.get(CODE_TTL), settings.get(MAX_ATTEMPTS), settings.get(MAX_REQUESTS_PER_PHONE),
                settings.get(MAX_REQUESTS_PER_IP), DEFAULT_THROTTLE_WINDOW, settings.get(SENDER),
                settings.find(WEBHOOK_URL).map(OtpConfig::webhookUrl).orElse(null),
                parseHeaders(settings.get(WEBHOOK_HEADERS)), settings.get(WEBHOOK_TIMEOUT));
    }

    private static URI webhookUrl(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("OTP_WEBHOOK_URL is not a URL: " + e.getMessage(), e);
        }
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

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
