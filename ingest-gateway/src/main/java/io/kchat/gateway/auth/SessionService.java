package io.kchat.gateway.auth;

import io.kchat.gateway.auth.RefreshTokenStore.Family;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.http.ApiException;
import io.kchat.gateway.users.UserStore;
import io.kchat.gateway.users.Usernames;
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
 */
public final class SessionService {

    private static final Logger log = LoggerFactory.getLogger(SessionService.class);
    private static final String BAD_CREDENTIALS = "invalid username or password";

    private final Database database;
    private final PasswordHasher hasher;
    private final JwtAccessTokens accessTokens;
    private final SessionRevocations revocations;
    private final AuthConfig config;
    private final Clock clock;
    private final UserStore users = new UserStore();
    private final CredentialStore credentials = new CredentialStore();
    private final DeviceStore devices = new DeviceStore();
    private final RefreshTokenStore refreshTokens = new RefreshTokenStore();

    public SessionService(Database database, PasswordHasher hasher, JwtAccessTokens accessTokens,
                          SessionRevocations revocations, AuthConfig config, Clock clock) {
        this.database = database;
        this.hasher = hasher;
        this.accessTokens = accessTokens;
        this.revocations = revocations;
        this.config = config;
        this.clock = clock;
    }

    /**
     * @throws ApiException 401 (one answer for an unknown user and a wrong password, after the same work),
     *                      400 for a malformed deviceId, 409 when a new device would exceed the cap
     */
    public SessionTokens login(String username, String password, String requestedDeviceId) {
        String deviceId = DeviceIds.orIssue(requestedDeviceId);
        String userId = checkPassword(username, password);
        return database.inTransaction(connection -> open(connection, userId, deviceId));
    }

    /** Rotates: the presented token is spent, a new one of the same login returned. */
    public SessionTokens refresh(String refreshToken) {
        if (!RefreshTokens.wellFormed(refreshToken)) {
            throw ApiException.unauthorized("invalid refresh token");
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
                throw ApiException.unauthorized("refresh token already used; the session is revoked");
            }
            case Rotation.Refused r -> throw ApiException.unauthorized("invalid refresh token");
        };
    }

    /** Ends this device's login and forgets the device. */
    public void logout(AuthenticatedSession session) {
        Instant now = now();
        database.inTransaction(connection -> {
            refreshTokens.revokeDevice(connection, session.userId(), session.deviceId(), now);
            devices.delete(connection, session.userId(), session.deviceId());
            return null;
        });
        revocations.revokeDevice(session.userId(), session.deviceId());
    }

    /** Sets a new password and ends every other login of the user; their devices stay registered. */
    public void changePassword(AuthenticatedSession session, String currentPassword, String newPassword) {
        if (currentPassword == null) {
            throw ApiException.badRequest("invalid request", "currentPassword is required");
        }
        PasswordPolicy.require(newPassword, "newPassword");
        Optional<String> stored = database.withConnection(c -> credentials.hashOf(c, session.userId()));
        if (stored.isEmpty()) {
            hasher.verifyDecoy(currentPassword);
            throw ApiException.unauthorized("current password is wrong");
        }
        if (!hasher.verify(currentPassword, stored.get())) {
            throw ApiException.unauthorized("current password is wrong");
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
            throw ApiException.unauthorized(e.getMessage());
        }
        Optional<Family> family = database.withConnection(c -> refreshTokens.usableFamily(c, claims.sessionId(), now()));
        if (family.isEmpty() || !family.get().userId().equals(claims.userId())
                || !family.get().deviceId().equals(claims.deviceId())) {
            throw ApiException.unauthorized("session ended");
        }
        return new AuthenticatedSession(claims.userId(), claims.deviceId(), claims.sessionId());
    }

    private String checkPassword(String username, String password) {
        if (password == null || password.length() > 4 * PasswordPolicy.MAX_LENGTH) {
            // too long to be a valid password: refused before any work, whoever the user is
            throw ApiException.unauthorized(BAD_CREDENTIALS);
        }
        Optional<CredentialStore.Credential> found = Usernames.isValid(username)
                ? database.withConnection(c -> credentials.findByUsername(c, username))
                : Optional.empty();
        if (found.isEmpty()) {
            hasher.verifyDecoy(password);
            throw ApiException.unauthorized(BAD_CREDENTIALS);
        }
        CredentialStore.Credential credential = found.get();
        if (!hasher.verify(password, credential.passwordHash())) {
            throw ApiException.unauthorized(BAD_CREDENTIALS);
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

    private SessionTokens open(Connection connection, String userId, String deviceId) throws SQLException {
        Instant now = now();
        users.lock(connection, userId);
        if (devices.exists(connection, userId, deviceId)) {
            // One login per device: older ones of this device end, so families per user stay bounded.
            devices.touch(connection, userId, deviceId, now);
            refreshTokens.revokeDevice(connection, userId, deviceId, now);
        } else {
            if (devices.count(connection, userId) >= config.maxDevicesPerUser()) {
                throw ApiException.conflict("too many devices",
                        "at most " + config.maxDevicesPerUser() + " devices may be logged in; log out another first");
            }
            devices.insert(connection, userId, deviceId, now);
        }
        Family family = new Family(UUID.randomUUID().toString(), userId, deviceId);
        refreshTokens.createFamily(connection, family, now, now.plus(config.refreshFamilyLifetime()));
        String refreshToken = RefreshTokens.newToken();
        refreshTokens.addToken(connection, family.familyId(), RefreshTokens.hash(refreshToken), now);
        return new SessionTokens(userId, deviceId, accessTokens.issue(userId, deviceId, family.familyId()), refreshToken);
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

    private sealed interface Rotation {
        record Rotated(Family family, String next) implements Rotation {
        }

        record Replayed(Family family) implements Rotation {
        }

        record Refused() implements Rotation {
        }
    }
}
