package io.kchat.gateway.auth.sessions;

import io.kchat.events.UserCommand;
import io.kchat.gateway.accounts.UserStore;
import io.kchat.gateway.accounts.Usernames;
import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.auth.passwords.CredentialStore;
import io.kchat.gateway.auth.passwords.PasswordHasher;
import io.kchat.gateway.auth.passwords.PasswordPolicy;
import io.kchat.gateway.auth.sessions.RefreshTokenStore.Family;
import io.kchat.gateway.auth.tokens.AccessTokenClaims;
import io.kchat.gateway.auth.tokens.InvalidTokenException;
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
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logins of devices: opening one (password check, device registration, first refresh token), rotating
 * its refresh token, ending it, and checking that the login behind an access token still stands.
 *
 * <p>The device registry is mirrored to the user side (chat.user-inbound, keyed by user): a login that
 * registers a new device publishes {@code DeviceRegistered} after its commit and answers only once Kafka
 * acknowledged it, so the device's queue exists before the client holds tokens; a logout deletes the
 * device and publishes {@code DeviceRemoved}. The CDC relay of the devices table is the safety net for both.
 */
public final class SessionService {

    /** {@code reason} of the 409 for a login of one device more than the cap. */
    public static final String TOO_MANY_DEVICES = "too_many_devices";
    private static final Logger log = LoggerFactory.getLogger(SessionService.class);
    private static final String BAD_CREDENTIALS = "invalid username or password";

    private final Database database;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final JwtAccessTokens accessTokens;
    private final SessionRevocations revocations;
    private final EventPublisher<String, UserCommand> userInbound;
    private final AuthConfig config;
    private final Clock clock;
    private final UserStore users = new UserStore();
    private final CredentialStore credentials = new CredentialStore();
    private final DeviceStore devices = new DeviceStore();
    private final RefreshTokenStore refreshTokens = new RefreshTokenStore();

    public SessionService(Database database, PasswordHasher hasher, PasswordPolicy policy,
                          JwtAccessTokens accessTokens, SessionRevocations revocations,
                          EventPublisher<String, UserCommand> userInbound, AuthConfig config, Clock clock) {
        this.database = database;
        this.hasher = hasher;
        this.policy = policy;
        this.accessTokens = accessTokens;
        this.revocations = revocations;
        this.userInbound = userInbound;
        this.config = config;
        this.clock = clock;
    }

    /**
     * @throws Refusal 401 (one answer for an unknown user and a wrong password, after the same work),
     *                      400 for a malformed deviceId, 409 ({@code too_many_devices}) when a new device would
     *                      exceed the cap, 503 when the registration of a new device was not acknowledged
     */
    public SessionTokens login(String username, String password, String requestedDeviceId) {
        String deviceId = DeviceIds.orIssue(requestedDeviceId);
        String userId = checkPassword(username, password);
        return complete(database.inTransaction(connection -> open(connection, userId, deviceId)));
    }

    /**
     * The login path for a user authenticated some other way (a phone code), in the caller's transaction so
     * that the proof is spent exactly when the login commits: registers or re-logs the device under the cap and
     * opens its refresh family. Pass the result to {@link #complete} after the commit.
     *
     * @param deviceId from {@link DeviceIds#orIssue}
     * @throws Refusal 409 ({@code too_many_devices}) when a new device would exceed the cap
     */
    public PendingLogin open(Connection connection, String userId, String deviceId) throws SQLException {
        return new PendingLogin(openInTransaction(connection, userId, deviceId));
    }

    /**
     * Finishes a committed login: tells the user side about a new device and answers only once Kafka
     * acknowledged it.
     *
     * @throws Refusal 503 when the registration of a new device was not acknowledged (the login is undone)
     */
    public SessionTokens complete(PendingLogin login) {
        Opened opened = login.opened;
        if (opened.newDevice()) {
            announceRegistration(opened);
        }
        return opened.tokens();
    }

    /** Rotates: the presented token is spent, a new one of the same login returned. */
    public SessionTokens refresh(String refreshToken) {
        if (!RefreshTokens.wellFormed(refreshToken)) {
            throw Refusal.unauthenticated("invalid refresh token");
        }
        byte[] hash = RefreshTokens.hash(refreshToken);
        Rotation rotation = database.inTransaction(connection -> rotate(connection, hash));
        return switch (rotation) {
            case Rotation.Rotated r -> new SessionTokens(r.family().userId(), r.family().deviceId(),
                    accessTokens.issue(r.family().userId(), r.family().deviceId(), r.family().familyId()), r.next());
            case Rotation.Replayed r -> {
                log.warn("spent refresh token presented again: revoked login {} of user {} device {}",
                        r.family().familyId(), r.family().userId(), r.family().deviceId());
                revocations.revokeDevice(r.family().userId(), r.family().deviceId());
                throw Refusal.unauthenticated("refresh token already used; the session is revoked");
            }
            case Rotation.Refused r -> throw Refusal.unauthenticated("invalid refresh token");
        };
    }

    /**
     * Ends this device's login, forgets the device, closes its sockets and tells the user side. The answer does
     * not depend on Kafka: the logout is committed and the client cannot retry it (its token is revoked), so a
     * DeviceRemoved that is not acknowledged is only logged, and the CDC relay of the deletion carries it.
     */
    public void logout(AuthenticatedSession session) {
        Instant now = now();
        boolean deleted = database.inTransaction(connection -> {
            refreshTokens.revokeDevice(connection, session.userId(), session.deviceId(), now);
            return devices.delete(connection, session.userId(), session.deviceId());
        });
        revocations.revokeDevice(session.userId(), session.deviceId());
        if (deleted) {
            try {
                userInbound.publishAndAwait(session.userId(),
                        DeviceCommands.removed(session.userId(), session.deviceId(), now), config.publishTimeout());
            } catch (PublishFailedException e) {
                log.warn("device {} of user {} logged out but its removal was not acknowledged; CDC relays it",
                        session.deviceId(), session.userId(), e);
            }
        }
    }

    /** Sets a new password and ends every other login of the user; their devices stay registered. */
    public void changePassword(AuthenticatedSession session, String currentPassword, String newPassword) {
        if (currentPassword == null) {
            throw Refusal.invalid("invalid request", "currentPassword is required");
        }
        policy.require(newPassword, "newPassword");
        Optional<String> stored = database.withConnection(c -> credentials.hashOf(c, session.userId()));
        if (stored.isEmpty()) {
            hasher.verifyDecoy(currentPassword);
            throw Refusal.unauthenticated("current password is wrong");
        }
        if (!hasher.verify(currentPassword, stored.get())) {
            throw Refusal.unauthenticated("current password is wrong");
        }
        String newHash = hasher.hash(newPassword);
        Instant now = now();
        List<String> otherDevices = database.inTransaction(connection -> {
            users.lock(connection, session.userId());
            credentials.upsert(connection, session.userId(), newHash, now);
            refreshTokens.revokeAllBut(connection, session.userId(), session.sessionId(), now);
            return devices.deviceIds(connection, session.userId()).stream()
                    .filter(d -> !d.equals(session.deviceId()))
                    .toList();
        });
        otherDevices.forEach(deviceId -> revocations.revokeDevice(session.userId(), deviceId));
    }

    /**
     * Verifies an access token and that its login was not ended since (logout, password change, replay),
     * which a signature alone cannot tell.
     */
    public AuthenticatedSession authenticate(String accessToken) {
        AccessTokenClaims claims;
        try {
            claims = accessTokens.verifyClaims(accessToken);
        } catch (InvalidTokenException e) {
            throw Refusal.unauthenticated(e.getMessage());
        }
        Optional<Family> family = database.withConnection(c -> refreshTokens.usableFamily(c, claims.sessionId(), now()));
        if (family.isEmpty() || !family.get().userId().equals(claims.userId())
                || !family.get().deviceId().equals(claims.deviceId())) {
            throw Refusal.unauthenticated("session ended");
        }
        return new AuthenticatedSession(claims.userId(), claims.deviceId(), claims.sessionId());
    }

    private String checkPassword(String username, String password) {
        if (password == null || password.length() > 4 * PasswordPolicy.MAX_LENGTH) {
            // too long to be a valid password: refused before any work, whoever the user is
            throw Refusal.unauthenticated(BAD_CREDENTIALS);
        }
        Optional<CredentialStore.Credential> found = Usernames.isValid(username)
                ? database.withConnection(c -> credentials.findByUsername(c, username))
                : Optional.empty();
        if (found.isEmpty()) {
            hasher.verifyDecoy(password);
            throw Refusal.unauthenticated(BAD_CREDENTIALS);
        }
        CredentialStore.Credential credential = found.get();
        if (!hasher.verify(password, credential.passwordHash())) {
            throw Refusal.unauthenticated(BAD_CREDENTIALS);
        }
        if (hasher.needsRehash(credential.passwordHash())) {
            String upgraded = hasher.hash(password);
            database.withConnection(c -> {
                credentials.replace(c, credential.userId(), credential.passwordHash(), upgraded, now());
                return null;
            });
        }
        return credential.userId();
    }

    private Opened openInTransaction(Connection connection, String userId, String deviceId) throws SQLException {
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
        return new Opened(new SessionTokens(userId, deviceId, accessTokens.issue(userId, deviceId, family.familyId()),
                refreshToken), family, newDevice, now);
    }

    /**
     * Tells the user side that the new device's queue starts now; answers 503 when Kafka did not acknowledge.
     * The failed login is then undone: a client told "failed" keeps no device, so a device id the server issued
     * cannot linger, take a slot of the cap and hold back the trimming of the user's log.
     */
    private void announceRegistration(Opened opened) {
        String userId = opened.family().userId();
        String deviceId = opened.family().deviceId();
        try {
            userInbound.publishAndAwait(userId, DeviceCommands.registered(userId, deviceId, opened.at()),
                    config.publishTimeout());
        } catch (PublishFailedException e) {
            log.warn("registration of device {} of user {} not acknowledged by Kafka; undoing the login",
                    deviceId, userId, e);
            Refusal unavailable = Refusal.unavailable("device registration not stored, please retry");
            try {
                withdraw(opened);
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
    private void withdraw(Opened opened) {
        Family family = opened.family();
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

    private Rotation rotate(Connection connection, byte[] tokenHash) throws SQLException {
        Instant now = now();
        Optional<Family> spent = refreshTokens.spend(connection, tokenHash, now);
        if (spent.isPresent()) {
            Family family = spent.get();
            String next = RefreshTokens.newToken();
            refreshTokens.addToken(connection, family.familyId(), RefreshTokens.hash(next), now);
            devices.touch(connection, family.userId(), family.deviceId(), now);
            return new Rotation.Rotated(family, next);
        }
        Optional<Family> replayed = refreshTokens.familyOfSpent(connection, tokenHash);
        if (replayed.isPresent() && refreshTokens.revokeFamily(connection, replayed.get().familyId(), now)) {
            return new Rotation.Replayed(replayed.get());
        }
        return new Rotation.Refused();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** A login opened in a transaction, to {@link #complete} once it committed. */
    public static final class PendingLogin {
        private final Opened opened;

        private PendingLogin(Opened opened) {
            this.opened = opened;
        }
    }

    /** A login committed: its tokens, and whether it registered the device. */
    private record Opened(SessionTokens tokens, Family family, boolean newDevice, Instant at) {
    }

    private sealed interface Rotation {
        record Rotated(Family family, String next) implements Rotation {
        }

        record Replayed(Family family) implements Rotation {
        }

        record Refused() implements Rotation {
        }
    }
}
