package io.kchat.gateway.auth.sessions;

import io.kchat.events.UserCommand;
import io.kchat.gateway.accounts.UserStore;
import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.auth.passwords.PasswordCheck;
import io.kchat.gateway.auth.sessions.RefreshTokenStore.Family;
import io.kchat.gateway.auth.tokens.JwtAccessTokens;
import io.kchat.gateway.auth.tokens.RefreshTokens;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.kafka.PublishFailedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the logins of devices, by password or for a user authenticated some other way (a phone code): registers a new
 * device under the user's cap, or logs a known one in again (its older login ends), and opens the login's refresh
 * family with its first tokens.
 *
 * <p>The device registry is mirrored to the user side (chat.user-inbound, keyed by user): a login that registers a
 * new device publishes {@code DeviceRegistered} after its commit and answers only once Kafka acknowledged it, so the
 * device's queue exists before the client holds tokens. The CDC relay of the devices table is the safety net.
 */
public final class Logins {

    /** {@code reason} of the 409 for a login of one device more than the cap. */
    public static final String TOO_MANY_DEVICES = "too_many_devices";
    private static final Logger log = LoggerFactory.getLogger(Logins.class);

    private final Database database;
    private final PasswordCheck passwords;
    private final JwtAccessTokens accessTokens;
    private final EventPublisher<String, UserCommand> userInbound;
    private final AuthConfig config;
    private final Clock clock;
    private final UserStore users = new UserStore();
    private final DeviceStore devices = new DeviceStore();
    private final RefreshTokenStore refreshTokens = new RefreshTokenStore();

    public Logins(Database database, PasswordCheck passwords, JwtAccessTokens accessTokens,
                  EventPublisher<String, UserCommand> userInbound, AuthConfig config, Clock clock) {
        this.database = database;
        this.passwords = passwords;
        this.accessTokens = accessTokens;
        this.userInbound = userInbound;
        this.config = config;
        this.clock = clock;
    }

    /**
     * @throws Refusal 401 (one answer for an unknown user and a wrong password, after the same work),
     *                      400 for a malformed deviceId, 409 ({@code too_many_devices}) when a new device would
     *                      exceed the cap, 503 when the registration of a new device was not acknowledged
     */
    public SessionTokens withPassword(String username, String password, String requestedDeviceId) {
        String deviceId = DeviceIds.orIssue(requestedDeviceId);
        String userId = passwords.userIdOf(username, password);
        return complete(database.inTransaction(connection -> open(connection, userId, deviceId)));
    }

    /**
     * The login of a user authenticated some other way (a phone code), in the caller's transaction so that the proof
     * is spent exactly when the login commits: registers or re-logs the device under the cap and opens its refresh
     * family. Pass the result to {@link #complete} after the commit.
     *
     * @param deviceId from {@link DeviceIds#orIssue}
     * @throws Refusal 409 ({@code too_many_devices}) when a new device would exceed the cap
     */
    public PendingLogin open(Connection connection, String userId, String deviceId) throws SQLException {
        Instant now = now();
        users.lock(connection, userId);
        boolean newDevice = !devices.exists(connection, userId, deviceId);
        if (newDevice) {
            if (devices.count(connection, userId) >= config.maxDevicesPerUser()) {
                throw Refusal.conflict("too many devices",
                        "at most " + config.maxDevicesPerUser() + " devices may be logged in; log out another first")
                        .withReason(TOO_MANY_DEVICES);
            }
            devices.insert(connection, userId, deviceId, now);
        } else {
            // One login per device: older ones of this device end, so families per user stay bounded.
            devices.touch(connection, userId, deviceId, now);
            refreshTokens.revokeDevice(connection, userId, deviceId, now);
        }
        Family family = new Family(UUID.randomUUID().toString(), userId, deviceId);
        refreshTokens.createFamily(connection, family, now, now.plus(config.refreshFamilyLifetime()));
        String refreshToken = RefreshTokens.newToken();
        refreshTokens.addToken(connection, family.familyId(), RefreshTokens.hash(refreshToken), now);
        return new PendingLogin(new SessionTokens(userId, deviceId,
                accessTokens.issue(userId, deviceId, family.familyId()), refreshToken), family, newDevice, now);
    }

    /**
     * Finishes a committed login: tells the user side about a new device and answers only once Kafka
     * acknowledged it.
     *
     * @throws Refusal 503 when the registration of a new device was not acknowledged (the login is undone)
     */
    public SessionTokens complete(PendingLogin login) {
        if (login.newDevice) {
            announceRegistration(login);
        }
        return login.tokens;
    }

    /**
     * Tells the user side that the new device's queue starts now; answers 503 when Kafka did not acknowledge.
     * The failed login is then undone: a client told "failed" keeps no device, so a device id the server issued
     * cannot linger, take a slot of the cap and hold back the trimming of the user's log.
     */
    private void announceRegistration(PendingLogin login) {
        String userId = login.family.userId();
        String deviceId = login.family.deviceId();
        try {
            userInbound.publishAndAwait(userId, DeviceCommands.registered(userId, deviceId, login.at),
                    config.publishTimeout());
        } catch (PublishFailedException e) {
            log.warn("registration of device {} of user {} not acknowledged by Kafka; undoing the login",
                    deviceId, userId, e);
            Refusal unavailable = Refusal.unavailable("device registration not stored, please retry");
            try {
                withdraw(login);
            } catch (RuntimeException undo) {
                // the row stays registered; the CDC relay still tells the user side about it
                unavailable.addSuppressed(undo);
            }
            throw unavailable;
        }
    }

    /**
     * Deletes the device of a login whose registration may not have reached the user side, unless another login
     * of the same device has taken over since (it revoked this login and answered its client, so the device is in
     * use). A registration that did land despite the failure is cancelled by DeviceRemoved, or by CDC relaying the
     * deletion when Kafka is still unreachable.
     */
    private void withdraw(PendingLogin login) {
        Family family = login.family;
        Instant now = now();
        boolean deleted = database.inTransaction(connection -> {
            users.lock(connection, family.userId());
            return refreshTokens.revokeFamily(connection, family.familyId(), now)
                    && devices.delete(connection, family.userId(), family.deviceId());
        });
        if (deleted) {
            userInbound.publish(family.userId(), DeviceCommands.removed(family.userId(), family.deviceId(), now))
                    .whenComplete((written, error) -> {
                        if (error != null) {
                            log.warn("removal of withdrawn device {} of user {} not acknowledged; CDC relays it",
                                    family.deviceId(), family.userId(), error);
                        }
                    });
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** A login opened in a transaction, to {@link #complete} once it committed; opaque to the caller. */
    public static final class PendingLogin {
        private final SessionTokens tokens;
        private final Family family;
        /** Whether the login registered the device: the user side is then told. */
        private final boolean newDevice;
        private final Instant at;

        private PendingLogin(SessionTokens tokens, Family family, boolean newDevice, Instant at) {
            this.tokens = tokens;
            this.family = family;
            this.newDevice = newDevice;
            this.at = at;
        }
    }
}
