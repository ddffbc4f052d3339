package io.kchat.gateway.auth.sessions;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.DeviceRegistered;
import io.kchat.events.DeviceRemoved;
import io.kchat.events.UserCommand;
import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.auth.MutableClock;
import io.kchat.gateway.auth.passwords.AccountService;
import io.kchat.gateway.auth.passwords.PasswordCheck;
import io.kchat.gateway.auth.passwords.PasswordDenylist;
import io.kchat.gateway.auth.passwords.PasswordHasher;
import io.kchat.gateway.auth.passwords.PasswordPolicy;
import io.kchat.gateway.auth.tokens.JwtAccessTokens;
import io.kchat.gateway.auth.tokens.SigningKeys;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.http.ApiException;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.AvroSerde;
import io.kchat.schemas.TopicCatalogue;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A login whose DeviceRegistered Kafka does not acknowledge: 503, and the failed login leaves no device behind. */
class DeviceRegistrationPublishIT {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final String PASSWORD = "correct horse battery staple";
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private Database database;
    private Logins logins;
    private String userId;

    @BeforeEach
    void start() {
        var postgres = SharedInfrastructure.postgres();
        database = Database.start(SharedInfrastructure.freshDatabase("DeviceRegistrationPublishIT"), postgres.user(),
                postgres.password(), 2);
        MutableClock clock = new MutableClock(NOW);
        AuthConfig config = AuthConfig.defaults();
        PasswordHasher hasher = new PasswordHasher();
        PasswordPolicy policy = new PasswordPolicy(PasswordDenylist.shipped());
        logins = new Logins(database, new PasswordCheck(database, hasher, clock),
                new JwtAccessTokens(SigningKeys.load(database, clock), config, clock),
                new EventPublisher<>(producer, TopicCatalogue.DEFAULT.userInbound()), config, clock);
        userId = new AccountService(database, hasher, policy, clock).register("kim", PASSWORD, null).userId();
    }

    @AfterEach
    void stop() {
        database.close();
    }

    @Test
    void anUnacknowledgedRegistrationIs503AndUndoesTheLogin() throws Exception {
        CompletableFuture<SessionTokens> login = CompletableFuture.supplyAsync(
                () -> logins.withPassword("kim", PASSWORD, "tab"));

        await().until(() -> producer.history().size() == 1);
        assertFalse(login.isDone(), "no tokens while Kafka has not acknowledged the registration");
        assertEquals(new DeviceRegistered(userId, "tab", NOW), command(0));
        assertTrue(producer.errorNext(new TimeoutException("broker unreachable")));

        ExecutionException failed = assertThrows(ExecutionException.class, () -> login.get(10, TimeUnit.SECONDS));
        assertEquals(503, ApiException.of(assertInstanceOf(Refusal.class, failed.getCause())).status());
        assertFalse(deviceExists("tab"), "a failed login keeps no device");
        await().until(() -> producer.history().size() == 2);
        assertEquals(new DeviceRemoved(userId, "tab", NOW), command(1), "in case the registration did land");
        assertTrue(producer.completeNext());

        CompletableFuture<SessionTokens> retry = CompletableFuture.supplyAsync(
                () -> logins.withPassword("kim", PASSWORD, "tab"));
        await().until(() -> producer.history().size() == 3);
        assertEquals(new DeviceRegistered(userId, "tab", NOW), command(2), "the retry registers the device again");
        assertTrue(producer.completeNext());
        assertEquals("tab", retry.get(10, TimeUnit.SECONDS).deviceId());
        assertTrue(deviceExists("tab"));
    }

    @Test
    void aKnownDeviceLogsInWithoutKafka() throws Exception {
        CompletableFuture<SessionTokens> first = CompletableFuture.supplyAsync(
                () -> logins.withPassword("kim", PASSWORD, "pc"));
        await().until(() -> producer.history().size() == 1);
        assertTrue(producer.completeNext());
        first.get(10, TimeUnit.SECONDS);

        assertEquals("pc", logins.withPassword("kim", PASSWORD, "pc").deviceId());
        assertEquals(1, producer.history().size());
    }

    private Object command(int index) {
        return AvroSerde.of(UserCommand.class).decode(producer.history().get(index).value()).getCommand();
    }

    private boolean deviceExists(String deviceId) {
        return database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT 1 FROM devices WHERE user_id = ? AND device_id = ?")) {
                statement.setString(1, userId);
                statement.setString(2, deviceId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }
}
