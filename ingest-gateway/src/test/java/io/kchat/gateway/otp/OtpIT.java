package io.kchat.gateway.otp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.auth.ClockedApi;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.otp.OtpClient.Reply;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Phone-code login end to end: the real server, database and broker, a clock the test moves, and an SMS sender
 * that keeps the codes. Each test uses its own phone numbers and client address (X-Forwarded-For, from the
 * trusted loopback proxy), so the throttles of one test do not touch another.
 */
class OtpIT {

    private static final String UUID_SHAPE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final AtomicInteger NUMBERS = new AtomicInteger();
    private static final CapturingSms sms = new CapturingSms();
    private static ClockedApi api;
    private static OtpClient otp;

    @BeforeAll
    static void start() {
        api = ClockedApi.start("OtpIT",
                AuthConfig.defaults().withTrustedProxies(Set.of("127.0.0.1", "0:0:0:0:0:0:0:1")),
                Instant.parse("2026-03-01T10:00:00Z"), sms);
        otp = new OtpClient(api.port);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aCodeLogsInLikeAPasswordAndTheFirstOneCreatesTheAccount() {
        String phone = newPhone();
        String ip = newAddress();
        Reply requested = otp.request(phone, ip);
        assertEquals(202, requested.status());
        assertTrue(requested.text("requestId").matches(UUID_SHAPE), requested.text("requestId"));
        assertEquals(600, requested.body().get("expiresIn").asInt());

        Reply verified = otp.post("/v1/auth/otp/verify", "{\"phone\":\"" + phone + "\",\"code\":\""
                + sms.lastCodeFor(phone) + "\",\"requestId\":\"" + requested.text("requestId")
                + "\",\"deviceId\":\"handset\"}", ip);

        assertEquals(200, verified.status(), String.valueOf(verified.body()));
        assertEquals(Set.of("userId", "deviceId", "accessToken", "refreshToken", "tokenType", "expiresIn"),
                fieldNames(verified.body()), "exactly the password login's answer");
        assertEquals("handset", verified.text("deviceId"));
        assertEquals("Bearer", verified.text("tokenType"));
        assertEquals(900, verified.body().get("expiresIn").asInt());
        Answer me = api.client.get("/v1/users/me", verified.text("accessToken"));
        assertEquals(200, me.status());
        assertEquals(verified.text("userId"), me.text("userId"));
        assertNull(me.text("username"), "no username until the user sets one");
        assertEquals("+" + "•".repeat(phone.length() - 3) + phone.substring(phone.length() - 2), me.text("displayName"));
        assertTrue(deviceRegistered(verified.text("userId"), "handset"));
        assertEquals(200, api.client.post("/v1/auth/refresh",
                "{\"refreshToken\":\"" + verified.text("refreshToken") + "\"}", null).status());

        // the next code for the phone logs into the same account; a verify may omit the request (newest one)
        otp.request(phone, ip);
        Reply again = otp.verify(phone, sms.lastCodeFor(phone), null, ip);
        assertEquals(200, again.status());
        assertEquals(verified.text("userId"), again.text("userId"));
        assertNotEquals("handset", again.text("deviceId"), "a device id is issued when none is sent");
    }

    @Test
    void fiveWrongGuessesKillTheCode() {
        String phone = newPhone();
        String ip = newAddress();
        String requestId = otp.request(phone, ip).text("requestId");
        String code = sms.lastCodeFor(phone);

        for (String wrong : wrongCodes(code, 5)) {
            assertEquals(401, otp.verify(phone, wrong, requestId, ip).status());
        }

        assertEquals(401, otp.verify(phone, code, requestId, ip).status(), "the right code, sixth, is too late");
    }

    @Test
    void fourWrongGuessesLeaveTheCodeUsable() {
        String phone = newPhone();
        String ip = newAddress();
        String requestId = otp.request(phone, ip).text("requestId");
        String code = sms.lastCodeFor(phone);

        for (String wrong : wrongCodes(code, 4)) {
            assertEquals(401, otp.verify(phone, wrong, requestId, ip).status());
        }

        assertEquals(200, otp.verify(phone, code, requestId, ip).status());
    }

    @Test
    void aCodeLivesTenMinutes() {
        String phone = newPhone();
        String ip = newAddress();
        String requestId = otp.request(phone, ip).text("requestId");
        api.clock.advance(Duration.ofMinutes(10));
        assertEquals(401, otp.verify(phone, sms.lastCodeFor(phone), requestId, ip).status());

        requestId = otp.request(phone, ip).text("requestId");
        api.clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertEquals(200, otp.verify(phone, sms.lastCodeFor(phone), requestId, ip).status());
    }

    @Test
    void aCodeWorksOnce() {
        String phone = newPhone();
        String ip = newAddress();
        String requestId = otp.request(phone, ip).text("requestId");
        String code = sms.lastCodeFor(phone);

        assertEquals(200, otp.verify(phone, code, requestId, ip).status());
        assertEquals(401, otp.verify(phone, code, requestId, ip).status());
        assertEquals(401, otp.verify(phone, code, null, ip).status());
    }

    @Test
    void aCodeVerifiesOnlyWithItsOwnRequestAndPhone() {
        String ip = newAddress();
        String phoneA = newPhone();
        String phoneB = newPhone();
        String requestA = otp.request(phoneA, ip).text("requestId");
        String codeA = sms.lastCodeFor(phoneA);
        String requestB = otp.request(phoneB, ip).text("requestId");
        String codeB = sms.lastCodeFor(phoneB);
        assumeFalse(codeA.equals(codeB), "one chance in a million");

        assertEquals(401, otp.verify(phoneB, codeA, requestB, ip).status(), "A's code with B's request");
        assertEquals(401, otp.verify(phoneA, codeB, requestB, ip).status(), "B's request for another phone");
        assertEquals(401, otp.verify(phoneB, codeB, requestA, ip).status(), "A's request for another phone");
        assertEquals(200, otp.verify(phoneB, codeB, requestB, ip).status());
        assertEquals(200, otp.verify(phoneA, codeA, requestA, ip).status());
    }

    @Test
    void aNewRequestSupersedesThePhonesEarlierCode() {
        String phone = newPhone();
        String ip = newAddress();
        String first = otp.request(phone, ip).text("requestId");
        String firstCode = sms.lastCodeFor(phone);
        String second = otp.request(phone, ip).text("requestId");

        assertEquals(401, otp.verify(phone, firstCode, first, ip).status());
        assertEquals(200, otp.verify(phone, sms.lastCodeFor(phone), second, ip).status());
    }

    @Test
    void refusalsLookAlikeWhateverTheReason() {
        String phone = newPhone();
        String ip = newAddress();
        String usedRequest = otp.request(phone, ip).text("requestId");
        String usedCode = sms.lastCodeFor(phone);
        assertEquals(200, otp.verify(phone, usedCode, usedRequest, ip).status());
        String expiredPhone = newPhone();
        String expiredRequest = otp.request(expiredPhone, ip).text("requestId");
        api.clock.advance(Duration.ofMinutes(11));
        String livePhone = newPhone();
        String liveRequest = otp.request(livePhone, ip).text("requestId");
        String liveCode = sms.lastCodeFor(livePhone);

        List<Reply> refusals = List.of(
                otp.verify(phone, usedCode, usedRequest, ip),
                otp.verify(expiredPhone, sms.lastCodeFor(expiredPhone), expiredRequest, ip),
                otp.verify(livePhone, wrongCodes(liveCode, 1).getFirst(), liveRequest, ip),
                otp.verify(livePhone, liveCode, java.util.UUID.randomUUID().toString(), ip),
                otp.verify(newPhone(), liveCode, null, ip),
                otp.verify(livePhone, "12ab56", liveRequest, ip));

        for (Reply refusal : refusals) {
            assertEquals(401, refusal.status());
            assertEquals(refusals.getFirst().body(), refusal.body());
            assertEquals("unauthorized", refusal.text("code"));
        }
    }

    @Test
    void theAnswerIsTheSameForKnownAndUnknownPhones() {
        String ip = newAddress();
        String known = newPhone();
        otp.request(known, ip);
        assertEquals(200, otp.verify(known, sms.lastCodeFor(known), null, ip).status());
        int sentBefore = sms.count();

        Reply forKnown = otp.request(known, ip);
        Reply forUnknown = otp.request(newPhone(), ip);

        assertEquals(202, forKnown.status());
        assertEquals(202, forUnknown.status());
        assertEquals(fieldNames(forKnown.body()), fieldNames(forUnknown.body()));
        assertTrue(forKnown.text("requestId").matches(UUID_SHAPE));
        assertTrue(forUnknown.text("requestId").matches(UUID_SHAPE));
        assertEquals(forKnown.body().get("expiresIn"), forUnknown.body().get("expiresIn"));
        assertEquals(forKnown.headers().firstValue("Content-Type"), forUnknown.headers().firstValue("Content-Type"));
        assertEquals(sentBefore + 2, sms.count(), "a code goes out either way");
    }

    @Test
    void aPhoneGetsFiveCodesAnHour() {
        String phone = newPhone();
        for (int i = 0; i < 5; i++) {
            assertEquals(202, otp.request(phone, newAddress()).status());
            api.clock.advance(Duration.ofMinutes(1));
        }

        Reply refused = otp.request(phone, newAddress());

        assertRateLimited(refused, 3300); // the first of the five leaves the hour 55 minutes from now
        api.clock.advance(Duration.ofSeconds(3299));
        assertEquals(429, otp.request(phone, newAddress()).status());
        api.clock.advance(Duration.ofSeconds(1));
        assertEquals(202, otp.request(phone, newAddress()).status());
    }

    @Test
    void anAddressGetsTwentyCodesAnHour() {
        String ip = newAddress();
        for (int i = 0; i < 20; i++) {
            assertEquals(202, otp.request(newPhone(), ip).status());
        }
        api.clock.advance(Duration.ofMinutes(30));

        assertRateLimited(otp.request(newPhone(), ip), 1800);
        assertEquals(202, otp.request(newPhone(), newAddress()).status(), "other addresses are not held back");
    }

    @Test
    void aCodeThatCouldNotBeSentIsUnavailableAndUnusable() {
        String phone = newPhone();
        String ip = newAddress();
        sms.failNext();

        Reply failed = otp.request(phone, ip);

        assertEquals(503, failed.status());
        assertEquals("internal", failed.text("code"));
        assertEquals("application/problem+json", failed.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(401, otp.verify(phone, sms.lastCodeFor(phone), null, ip).status());
        assertEquals(401, otp.verify(phone, sms.lastCodeFor(phone), lastRequestOf(phone), ip).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "\"4155550123\"", "\"+0155550123\"", "\"+1 415 555 0123\"", "\"+12345\"",
            "\"+1234567890123456\"", "\"+1415555012a\"", "null", "14155550123"})
    void aPhoneNotInE164IsABadRequest(String phone) {
        Reply reply = otp.post("/v1/auth/otp/request", "{\"phone\":" + phone + "}", newAddress());

        assertEquals(400, reply.status());
        assertEquals("bad_request", reply.text("code"));
    }

    private static void assertRateLimited(Reply reply, long retryAfterSeconds) {
        assertEquals(429, reply.status());
        assertEquals("rate_limited", reply.text("code"));
        assertEquals(String.valueOf(retryAfterSeconds), reply.headers().firstValue("Retry-After").orElse(null));
    }

    /** {@code count} distinct six-digit codes other than {@code code}. */
    private static List<String> wrongCodes(String code, int count) {
        List<String> wrong = new ArrayList<>();
        int value = Integer.parseInt(code);
        for (int i = 1; i <= count; i++) {
            wrong.add(String.format("%06d", (value + i) % 1_000_000));
        }
        assertFalse(wrong.contains(code));
        return wrong;
    }

    private static Set<String> fieldNames(JsonNode body) {
        Set<String> names = new java.util.HashSet<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String newPhone() {
        return String.format("+4420%08d", NUMBERS.incrementAndGet());
    }

    private static String newAddress() {
        int n = NUMBERS.incrementAndGet();
        return "198.51." + (n / 250) + "." + (n % 250 + 1);
    }

    private static boolean deviceRegistered(String userId, String deviceId) {
        return api.database.withConnection(c -> {
            try (PreparedStatement statement = c.prepareStatement(
                    "SELECT 1 FROM devices WHERE user_id = ? AND device_id = ?")) {
                statement.setString(1, userId);
                statement.setString(2, deviceId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    private static String lastRequestOf(String phone) {
        return api.database.withConnection(c -> {
            try (PreparedStatement statement = c.prepareStatement(
                    "SELECT request_id FROM otp_requests WHERE phone = ? ORDER BY created_at DESC LIMIT 1")) {
                statement.setString(1, phone);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getString(1);
                }
            }
        });
    }
}
