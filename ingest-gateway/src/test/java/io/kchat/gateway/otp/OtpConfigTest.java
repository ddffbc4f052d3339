package io.kchat.gateway.otp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kchat.settings.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtpConfigTest {

    private static OtpConfig fromEnv(Map<String, String> environment) {
        return OtpConfig.from(Settings.of(environment));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        OtpConfig config = fromEnv(Map.of());

        assertEquals(Duration.ofMinutes(10), config.codeTtl());
        assertEquals(5, config.maxAttempts());
        assertEquals(5, config.maxRequestsPerPhone());
        assertEquals(20, config.maxRequestsPerIp());
        assertEquals(Duration.ofHours(1), config.throttleWindow());
        assertEquals(OtpConfig.Sender.LOG, config.sender());
    }

    @Test
    void readsTheWebhookSettings() {
        OtpConfig config = fromEnv(Map.of(
                "OTP_SENDER", "webhook",
                "OTP_WEBHOOK_URL", "https://sms.example/send",
                "OTP_WEBHOOK_HEADERS", "Authorization: Bearer a:b:c ; X-Other: y;",
                "OTP_WEBHOOK_TIMEOUT", "1500ms",
                "OTP_MAX_REQUESTS_PER_PHONE_HOUR", "3",
                "OTP_MAX_REQUESTS_PER_IP_HOUR", "50"));

        assertEquals(OtpConfig.Sender.WEBHOOK, config.sender());
        assertEquals(URI.create("https://sms.example/send"), config.webhookUrl());
        assertEquals(Map.of("Authorization", "Bearer a:b:c", "X-Other", "y"), config.webhookHeaders());
        assertEquals(Duration.ofMillis(1500), config.webhookTimeout());
        assertEquals(3, config.maxRequestsPerPhone());
        assertEquals(50, config.maxRequestsPerIp());
    }

    @Test
    void readsTheFormerSpellingsOfItsDurations() {
        OtpConfig config = fromEnv(Map.of("OTP_WEBHOOK_TIMEOUT_MS", "1500", "OTP_CODE_TTL_SECONDS", "90"));
        assertEquals(Duration.ofMillis(1500), config.webhookTimeout());
        assertEquals(Duration.ofSeconds(90), config.codeTtl());
        assertEquals(Duration.ofMinutes(3), fromEnv(Map.of("OTP_CODE_TTL", "3m")).codeTtl());
    }

    @Test
    void refusesAWebhookWithoutAUrlOrWithBadHeaders() {
        assertThrows(IllegalArgumentException.class, () -> fromEnv(Map.of("OTP_SENDER", "webhook")));
        assertThrows(IllegalArgumentException.class, () -> fromEnv(Map.of("OTP_SENDER", "webhook",
                "OTP_WEBHOOK_URL", "ftp://sms.example/")));
        assertThrows(IllegalArgumentException.class, () -> fromEnv(Map.of("OTP_SENDER", "webhook",
                "OTP_WEBHOOK_URL", "https://sms.example/", "OTP_WEBHOOK_HEADERS", "no colon here")));
        assertThrows(IllegalArgumentException.class, () -> fromEnv(Map.of("OTP_SENDER", "webhook",
                "OTP_WEBHOOK_URL", "https://sms.example/", "OTP_WEBHOOK_HEADERS", "Bad Name: x")));
        assertThrows(IllegalArgumentException.class, () -> fromEnv(Map.of("OTP_SENDER", "carrier-pigeon")));
        assertThrows(IllegalArgumentException.class, () -> fromEnv(Map.of("OTP_SENDER", "webhook",
                "OTP_WEBHOOK_URL", "https://sms example/")));
    }
}
