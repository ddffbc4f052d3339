package io.kchat.gateway.push;

import static io.kchat.gateway.push.PushKeysSamples.auth;
import static io.kchat.gateway.push.PushKeysSamples.b64;
import static io.kchat.gateway.push.PushKeysSamples.offCurve;
import static io.kchat.gateway.push.PushKeysSamples.p256dh;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.auth.MutableClock;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.PushEndpoints;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Push subscriptions and VAPID keys through the REST API on the real database: what is refused (and that nothing is
 * stored then), what is stored and replaced, what goes with DELETE, logout and a retired key.
 */
class PushIT {

    private static final Map<String, String> HOSTS = Map.of(
            "push.example.net", "93.184.216.34",
            "other.example.net", "93.184.216.35",
            "intranet.example.net", "10.20.30.40",
            "rebind.example.net", "127.0.0.1");
    /** The test's DNS: the names above, literals as themselves, nothing else. */
    private static final PushEndpoints.Resolver RESOLVER = host -> {
        String address = HOSTS.get(host);
        if (address != null) {
            return List.of(InetAddress.getByName(address));
        }
        if (host.matches("[0-9.]+|\\[[0-9a-fA-F:.]+]")) {
            return List.of(InetAddress.getByName(host));
        }
        throw new UnknownHostException(host);
    };
    private static final String PUSH = "/v1/devices/me/push";

    private static MutableClock clock;
    private static RestApiFixture strict;
    private static RestApiFixture withGateway;

    @BeforeAll
    static void start() {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        strict = RestApiFixture.startWithPush("PushIT", PushConfig.defaults(), RESOLVER, clock);
        withGateway = RestApiFixture.startWithPush("PushGatewayIT",
                PushConfig.defaults().withGatewayUrl(URI.create("https://push-gateway.internal/notify")), RESOLVER,
                clock);
    }

    @AfterAll
    static void stop() {
        if (strict != null) {
            strict.close();
        }
        if (withGateway != null) {
            withGateway.close();
        }
    }

    private static String webPush(String endpoint, String p256dh, String auth) {
        return "{\"kind\":\"webpush\",\"endpoint\":\"" + endpoint + "\",\"keys\":{\"p256dh\":\"" + p256dh
                + "\",\"auth\":\"" + auth + "\"}}";
    }

    private static String validWebPush(String endpoint) {
        return webPush(endpoint, b64(p256dh()), b64(auth()));
    }

    @Test
    void refusedSubscriptionsNameTheFieldAndStoreNothing() {
        ApiClient client = strict.client;
        Login login = TestUsers.registerAndLogin(client, "refused");
        String key = b64(p256dh());
        String auth = b64(auth());
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put(webPush("http://push.example.net/w/1", key, auth), "invalid endpoint");
        refusals.put(webPush("https://10.0.0.1/w/1", key, auth), "invalid endpoint");
        refusals.put(webPush("https://127.0.0.1/w/1", key, auth), "invalid endpoint");
        refusals.put(webPush("https://[::1]/w/1", key, auth), "invalid endpoint");
        refusals.put(webPush("https://169.254.169.254/latest/meta-data/", key, auth), "invalid endpoint");
        refusals.put(webPush("https://[fe80::1]/w/1", key, auth), "invalid endpoint");
        refusals.put(webPush("https://intranet.example.net/w/1", key, auth), "invalid endpoint");
        refusals.put(webPush("https://rebind.example.net/w/1", key, auth), "invalid endpoint");
        refusals.put(webPush("https://nowhere.example.net/w/1", key, auth), "invalid endpoint");
        refusals.put(webPush("https://push.example.net/" + "a".repeat(3000), key, auth), "invalid endpoint");
        refusals.put(webPush("https://push.example.net/w/1", b64(offCurve()), auth), "invalid keys.p256dh");
        refusals.put(webPush("https://push.example.net/w/1", b64(new byte[33]), auth), "invalid keys.p256dh");
        refusals.put(webPush("https://push.example.net/w/1", "***", auth), "invalid keys.p256dh");
        refusals.put(webPush("https://push.example.net/w/1", key, b64(new byte[12])), "invalid keys.auth");
        refusals.put(webPush("https://push.example.net/w/1", key, "not base64!"), "invalid keys.auth");
        refusals.put("{\"kind\":\"sms\"}", "invalid kind");
        refusals.put("{\"endpoint\":\"https://push.example.net/w/1\"}", "invalid kind");
        refusals.put("{\"kind\":\"webpush\",\"endpoint\":\"https://push.example.net/w/1\"}", "invalid keys");
        refusals.put("{\"kind\":\"gateway\",\"pushKey\":\"t\",\"appId\":\"a\",\"endpoint\":\"https://x.example\"}",
                "invalid endpoint");
        refusals.forEach((body, title) -> {
            Answer answer = client.put(PUSH, body, login.accessToken());
            assertEquals(400, answer.status(), body.length() > 300 ? title : body);
            assertEquals("bad_request", answer.text("code"), body);
            assertEquals(title, answer.text("title"), String.valueOf(answer.body()));
        });

        Answer wrongType = client.put(PUSH, "{\"kind\":\"webpush\",\"previews\":\"yes\"}", login.accessToken());
        assertEquals(400, wrongType.status());
        assertTrue(wrongType.text("detail").contains("previews"), String.valueOf(wrongType.body()));
        Answer keysNotAnObject = client.put(PUSH, "{\"kind\":\"webpush\",\"keys\":\"k\"}", login.accessToken());
        assertEquals(400, keysNotAnObject.status());
        assertTrue(keysNotAnObject.text("detail").contains("keys"), String.valueOf(keysNotAnObject.body()));

        Answer oversized = client.put(PUSH, "{\"kind\":\"gateway\",\"pushKey\":\"" + "k".repeat(300_000) + "\"}",
                login.accessToken());
        assertEquals(413, oversized.status());
        assertEquals("too_large", oversized.text("code"));

        Answer noGateway = client.put(PUSH, "{\"kind\":\"gateway\",\"pushKey\":\"token\",\"appId\":\"com.example\"}",
                login.accessToken());
        assertEquals(503, noGateway.status());
        assertEquals("push_gateway_not_configured", noGateway.text("reason"));
        assertTrue(noGateway.text("title").contains("push gateway is not configured"), noGateway.text("title"));

        assertEquals(401, client.put(PUSH, validWebPush("https://push.example.net/w/1"), null).status());
        assertEquals(Optional.empty(), row(strict, login), "nothing refused is stored");
    }

    @Test
    void aSubscriptionIsStoredWithTheCurrentKeyAndReplacedByTheNext() {
        ApiClient client = withGateway.client;
        Login login = TestUsers.registerAndLogin(client, "subscriber");
        byte[] key = p256dh();
        String body = "{\"kind\":\"webpush\",\"endpoint\":\"https://push.example.net/w/abc?x=1\",\"keys\":{"
                + "\"p256dh\":\"" + b64(key) + "\",\"auth\":\"" + b64(auth()) + "\"},\"previews\":true}";
        assertEquals(204, client.put(PUSH, body, login.accessToken()).status());

        Row stored = row(withGateway, login).orElseThrow();
        assertEquals("webpush", stored.kind());
        assertEquals("https://push.example.net/w/abc?x=1", stored.endpoint());
        assertArrayEquals(key, stored.p256dh());
        assertArrayEquals(auth(), stored.auth());
        assertTrue(stored.previews());
        String vapid = client.get("/v1/push/vapid", login.accessToken()).text("publicKey");
        assertEquals(newestKeyId(withGateway), stored.vapidKeyId());
        assertArrayEquals(publicKeyOf(withGateway, stored.vapidKeyId()), Base64.getUrlDecoder().decode(vapid),
                "stored with the key the client was handed");

        String gateway = "{\"kind\":\"gateway\",\"pushKey\":\"fcm:abc-123\",\"appId\":\"com.example.kchat\"}";
        assertEquals(204, client.put(PUSH, gateway, login.accessToken()).status());
        Row replaced = row(withGateway, login).orElseThrow();
        assertEquals(new Row("gateway", null, null, null, null, "fcm:abc-123", "com.example.kchat", false), replaced,
                "the second replaces the first whole");

        assertEquals(204, client.delete(PUSH, login.accessToken()).status());
        assertEquals(Optional.empty(), row(withGateway, login));
        assertEquals(204, client.delete(PUSH, login.accessToken()).status(), "idempotent");
        assertEquals(401, client.delete(PUSH, null).status());
    }

    @Test
    void logoutTakesTheDevicesSubscriptionWithIt() {
        ApiClient client = strict.client;
        TestUsers.register(client, "leaving");
        Login phone = TestUsers.login(client, "leaving", "phone");
        Login laptop = TestUsers.login(client, "leaving", "laptop");
        assertEquals(204, client.put(PUSH, validWebPush("https://push.example.net/w/phone"), phone.accessToken())
                .status());
        assertEquals(204, client.put(PUSH, validWebPush("https://other.example.net/w/laptop"), laptop.accessToken())
                .status());

        assertEquals(204, client.post("/v1/auth/logout", "{}", phone.accessToken()).status());

        assertEquals(Optional.empty(), row(strict, phone));
        assertEquals("https://other.example.net/w/laptop", row(strict, laptop).orElseThrow().endpoint(),
                "the other device keeps its own");
    }

    @Test
    void theVapidKeyIsMadeOnceAndStableAcrossLoads() {
        var postgres = SharedInfrastructure.postgres();
        String url = SharedInfrastructure.freshDatabase("VapidKeysIT");
        try (var database = io.kchat.gateway.db.Database.start(url, postgres.user(), postgres.password(), 2)) {
            VapidKey first = VapidKeys.load(database, clock).current();
            VapidKey second = VapidKeys.load(database, clock).current();
            assertEquals(first, second);
            assertEquals(1, (int) database.withConnection(c -> count(c.prepareStatement(
                    "SELECT count(*) FROM vapid_keys"))));
            assertEquals(2, RotateVapidKey.run(new String[] {"--retire-older-than=soon"}, Map.of(
                    "DATABASE_URL", url), clock), "a usage error");
            assertEquals(2, RotateVapidKey.run(new String[] {"--rotate"}, Map.of("DATABASE_URL", url), clock));
            assertEquals(2, RotateVapidKey.run(new String[] {}, Map.of(), clock), "no DATABASE_URL");
            assertEquals(0, RotateVapidKey.run(new String[] {}, Map.of("DATABASE_URL", url, "DATABASE_USER",
                    postgres.user(), "DATABASE_PASSWORD", postgres.password()), clock));
            assertEquals(2, (int) database.withConnection(c -> count(c.prepareStatement(
                    "SELECT count(*) FROM vapid_keys WHERE retired_at IS NULL"))), "the command added one");
        }
    }

    @Test
    void rotationHandsOutANewerKeyAndRetirementDeletesTheOldKeysSubscriptions() {
        ApiClient client = strict.client;
        Login early = TestUsers.registerAndLogin(client, "early");
        assertEquals(204, client.put(PUSH, validWebPush("https://push.example.net/w/early"), early.accessToken())
                .status());
        String oldKey = row(strict, early).orElseThrow().vapidKeyId();
        String oldPublic = client.get("/v1/push/vapid", early.accessToken()).text("publicKey");

        clock.advance(Duration.ofSeconds(1));
        VapidKeyRotation rotation = new VapidKeyRotation(strict.database, clock);
        VapidKey added = rotation.addKey();
        clock.advance(VapidKeys.RELOAD_INTERVAL.plusSeconds(1));
        String newPublic = client.get("/v1/push/vapid", early.accessToken()).text("publicKey");
        assertEquals(added.publicKeyBase64Url(), newPublic, "every gateway hands out the new key after a reload");
        assertNotEquals(oldPublic, newPublic);

        Login late = TestUsers.registerAndLogin(client, "late");
        assertEquals(204, client.put(PUSH, validWebPush("https://push.example.net/w/late"), late.accessToken())
                .status());
        assertEquals(added.keyId(), row(strict, late).orElseThrow().vapidKeyId());
        assertEquals(oldKey, row(strict, early).orElseThrow().vapidKeyId(), "an earlier one keeps its key");

        VapidKeyRotation.Retired retired = rotation.retireOlderThan(Duration.ZERO);
        assertEquals(List.of(oldKey), retired.keyIds(), "the older key only, never the newest");
        assertTrue(retired.subscriptions() >= 1, "at least early's: " + retired.subscriptions());
        assertEquals(Optional.empty(), row(strict, early), "made with the retired key: gone");
        assertEquals(added.keyId(), row(strict, late).orElseThrow().vapidKeyId(), "made with the new key: kept");
        assertEquals(List.of(), rotation.retireOlderThan(Duration.ZERO).keyIds(), "the newest key stays");
    }

    record Row(String kind, String endpoint, byte[] p256dh, byte[] auth, String vapidKeyId, String pushKey,
               String appId, boolean previews) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Row r && kind.equals(r.kind) && java.util.Objects.equals(endpoint, r.endpoint)
                    && java.util.Arrays.equals(p256dh, r.p256dh) && java.util.Arrays.equals(auth, r.auth)
                    && java.util.Objects.equals(vapidKeyId, r.vapidKeyId) && java.util.Objects.equals(pushKey, r.pushKey)
                    && java.util.Objects.equals(appId, r.appId) && previews == r.previews;
        }

        @Override
        public int hashCode() {
            return kind.hashCode();
        }
    }

    private static Optional<Row> row(RestApiFixture fixture, Login login) {
        return fixture.database.withConnection(c -> {
            try (PreparedStatement statement = c.prepareStatement("""
                    SELECT kind, endpoint, p256dh, auth, vapid_key_id, push_key, app_id, previews
                    FROM push_subscriptions WHERE user_id = ? AND device_id = ?""")) {
                statement.setString(1, login.userId());
                statement.setString(2, login.deviceId());
                try (ResultSet rows = statement.executeQuery()) {
                    List<Row> found = new ArrayList<>();
                    while (rows.next()) {
                        found.add(new Row(rows.getString(1), rows.getString(2), rows.getBytes(3), rows.getBytes(4),
                                rows.getString(5), rows.getString(6), rows.getString(7), rows.getBoolean(8)));
                    }
                    return found.stream().findFirst();
                }
            }
        });
    }

    private static String newestKeyId(RestApiFixture fixture) {
        return fixture.database.withConnection(c -> {
            try (PreparedStatement statement = c.prepareStatement(
                    "SELECT key_id FROM vapid_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1");
                 ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        });
    }

    private static byte[] publicKeyOf(RestApiFixture fixture, String keyId) {
        return fixture.database.withConnection(c -> {
            try (PreparedStatement statement = c.prepareStatement(
                    "SELECT public_key FROM vapid_keys WHERE key_id = ?")) {
                statement.setString(1, keyId);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getBytes(1);
                }
            }
        });
    }

    private static int count(PreparedStatement statement) throws java.sql.SQLException {
        try (statement; ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
