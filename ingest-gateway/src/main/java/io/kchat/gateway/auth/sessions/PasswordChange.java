package io.kchat.gateway.auth.sessions;

import io.kchat.gateway.accounts.UserStore;
import io.kchat.gateway.auth.passwords.CredentialStore;
import io.kchat.gateway.auth.passwords.PasswordCheck;
import io.kchat.gateway.auth.passwords.PasswordHasher;
import io.kchat.gateway.auth.passwords.PasswordPolicy;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A logged-in device sets a new password: every other login of the user ends (their sockets close on every node),
 * since whoever knew the old password may hold one; the devices stay registered and log in again.
 */
public final class PasswordChange {

    private final Database database;
    private final PasswordCheck passwords;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final SessionRevocations revocations;
    private final Clock clock;
    private final UserStore users = new UserStore();
    private final CredentialStore credentials = new CredentialStore();
    private final DeviceStore devices = new DeviceStore();
    private final RefreshTokenStore refreshTokens = new RefreshTokenStore();

    public PasswordChange(Database database, PasswordCheck passwords, PasswordHasher hasher, PasswordPolicy policy,
                          SessionRevocations revocations, Clock clock) {
        this.database = database;
        this.passwords = passwords;
        this.hasher = hasher;
        this.policy = policy;
        this.revocations = revocations;
        this.clock = clock;
    }

    /** @throws Refusal 400 for a missing current or a weak new password, 401 when the current one is wrong */
    public void change(AuthenticatedSession session, String currentPassword, String newPassword) {
        if (currentPassword == null) {
            throw Refusal.invalid("invalid request", "currentPassword is required");
        }
        policy.require(newPassword, "newPassword");
        passwords.requireCurrent(session.userId(), currentPassword);
        String newHash = hasher.hash(newPassword);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
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
}
