package io.kchat.delivery.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.schemas.PushEndpoints;
import io.kchat.settings.Settings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The push sender's small parts: settings, payload, Retry-After, backoff, the device rate limit. */
class PushPiecesTest {

    @Test
    void defaultsAndSettings() {
        PushConfig defaults = PushConfig.from(Settings.of(Map.of()));
        assertEquals(PushConfig.DEFAULTS, defaults);
        assertEquals(PushEndpoints.Policy.STRICT, defaults.endpointPolicy());
        assertEquals("mailto:push@kchat.invalid", defaults.vapidSubject());
        assertEquals(Duration.ofDays(1), defaults.ttl());
        assertEquals(4, defaults.maxAttempts());
        assertEquals(Duration.ofSeconds(60), defaults.maxRetryDelay());
        assertEquals(30, defaults.deviceRate());
        assertEquals(Duration.ofSeconds(10), defaults.timeout());
        assertEquals(16, defaults.concurrency());
        assertEquals(Optional.empty(), defaults.gatewayUrl());

        PushConfig set = PushConfig.from(Settings.of(Map.of("PUSH_GATEWAY_URL", "https://gw.example/_matrix/push/v1/notify",
                "PUSH_ALLOW_HTTP", "true", "PUSH_ALLOW_PRIVATE_ENDPOINTS", "true",
                "PUSH_VAPID_SUBJECT", "https://chat.example", "PUSH_TTL", "2h", "PUSH_MAX_ATTEMPTS", "2",
                "PUSH_MAX_RETRY_DELAY", "5s", "PUSH_DEVICE_RATE", "3", "PUSH_TIMEOUT", "1s",
                "PUSH_CONCURRENCY", "4")));
        assertEquals(Optional.of(URI.create("https://gw.example/_matrix/push/v1/notify")), set.gatewayUrl());
        assertEquals(new PushEndpoints.Policy(true, true), set.endpointPolicy());
        assertEquals(Duration.ofHours(2), set.ttl());
        assertEquals(2, set.maxAttempts());
        assertEquals(Duration.ofSeconds(5), set.maxRetryDelay());
        assertEquals(3, set.deviceRate());
        assertEquals(Duration.ofSeconds(1), set.timeout());
        assertEquals(4, set.concurrency());
    }

    @Test
    void refusesWhatCannotWork() {
        assertThrows(IllegalArgumentException.class,
                () -> PushConfig.from(Settings.of(Map.of("PUSH_VAPID_SUBJECT", "push@kchat.invalid"))));
        assertThrows(IllegalArgumentException.class,
                () -> PushConfig.from(Settings.of(Map.of("PUSH_VAPID_SUBJECT", "http://chat.example"))));
        assertThrows(IllegalArgumentException.class,
                () -> PushConfig.from(Settings.of(Map.of("PUSH_GATEWAY_URL", "ftp://gw.example/"))));
        assertThrows(IllegalArgumentException.class,
                () -> PushConfig.from(Settings.of(Map.of("PUSH_MAX_ATTEMPTS", "0"))));
        assertThrows(IllegalArgumentException.class,
                () -> PushConfig.from(Settings.of(Map.of("PUSH_CONCURRENCY", "0"))));
        assertThrows(IllegalArgumentException.class,
                () -> PushConfig.from(Settings.of(Map.of("PUSH_DEVICE_RATE", "0"))));
    }

    @Test
    void aPreviewIsCutTo200CodePointsNeverInsideAPair() {
        String emoji = "\uD83D\uDE00";
        String body = emoji.repeat(250);
        String cut = PushPayload.cut(body);
        assertEquals(200, cut.codePointCount(0, cut.length()));
        assertEquals(emoji.repeat(200), cut);
        assertEquals("short", PushPayload.cut("short"));
    }

    @Test
    void payloadShapes() {
        PushPayload payload = new PushPayload("c1", 5, "bob", 2, "Bob", "hi");
        assertEquals("{\"type\":\"message\",\"conversationId\":\"c1\",\"seq\":5,\"senderId\":\"bob\",\"unread\":2,"
                + "\"senderName\":\"Bob\",\"body\":\"hi\"}", new String(payload.toJson(), StandardCharsets.UTF_8));
        assertEquals("{\"type\":\"message\",\"conversationId\":\"c1\",\"seq\":5,\"senderId\":\"bob\",\"unread\":2}",
                new String(payload.withoutPreview().toJson(), StandardCharsets.UTF_8));
        assertEquals("{\"notification\":{\"type\":\"message\",\"conversationId\":\"c1\",\"seq\":5,"
                        + "\"senderId\":\"bob\",\"unread\":2,\"devices\":[{\"app_id\":\"app\",\"pushkey\":\"pk\"}]}}",
                new String(payload.withoutPreview().toGatewayJson("app", "pk"), StandardCharsets.UTF_8)
                        .replace("{\"pushkey\":\"pk\",\"app_id\":\"app\"}", "{\"app_id\":\"app\",\"pushkey\":\"pk\"}"));
    }

    @Test
    void retryAfterInSecondsOrAsADate() {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse("120", now));
        assertEquals(Optional.of(Duration.ofSeconds(30)), RetryAfter.parse("Tue, 01 Jan 2030 00:00:30 GMT", now));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Mon, 31 Dec 2029 23:00:00 GMT", now));
        assertEquals(Optional.empty(), RetryAfter.parse("soon", now));
        assertEquals(Optional.empty(), RetryAfter.parse(null, now));
    }

    @Test
    void backoffDoublesWithJitterAndIsCapped() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
        for (int i = 0; i < 50; i++) {
            Duration first = backoff.next(1, Optional.empty());
            assertTrue(first.toMillis() >= 500 && first.toMillis() <= 1000, first.toString());
            Duration third = backoff.next(3, Optional.empty());
            assertTrue(third.toMillis() >= 2000 && third.toMillis() <= 4000, third.toString());
            Duration late = backoff.next(20, Optional.empty());
            assertTrue(late.toMillis() >= 30_000 && late.toMillis() <= 60_000, late.toString());
        }
        assertEquals(Duration.ofSeconds(5), backoff.next(1, Optional.of(Duration.ofSeconds(5))));
        assertEquals(Duration.ofSeconds(60), backoff.next(1, Optional.of(Duration.ofHours(1))));
    }

    @Test
    void aDeviceGetsItsRatePerMinuteThenWaitsForTokens() {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        DeviceRateLimiter limiter = new DeviceRateLimiter(3, clock);
        assertTrue(limiter.tryAcquire("ann", "d1"));
        assertTrue(limiter.tryAcquire("ann", "d1"));
        assertTrue(limiter.tryAcquire("ann", "d1"));
        assertFalse(limiter.tryAcquire("ann", "d1"));
        // another device has its own bucket
        assertTrue(limiter.tryAcquire("ann", "d2"));
        clock.advance(Duration.ofSeconds(19));
        assertFalse(limiter.tryAcquire("ann", "d1"));
        clock.advance(Duration.ofSeconds(1));
        assertTrue(limiter.tryAcquire("ann", "d1"));
        assertFalse(limiter.tryAcquire("ann", "d1"));
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
