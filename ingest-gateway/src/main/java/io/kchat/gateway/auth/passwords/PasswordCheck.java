package io.kchat.gateway.auth.passwords;

import io.kchat.gateway.accounts.Usernames;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Checks a password against the stored hash. The same work (one Argon2 hash) is spent whether the user exists or not,
 * so that the answer's timing does not tell which usernames are taken; a hash made with older parameters is upgraded
 * at the login that proves the password.
 */
public final class PasswordCheck {

    private static final String BAD_CREDENTIALS = "invalid username or password";
    private static final String WRONG_CURRENT = "current password is wrong";

    private final Database database;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final CredentialStore credentials = new CredentialStore();

    public PasswordCheck(Database database, PasswordHasher hasher, Clock clock) {
        this.database = database;
        this.hasher = hasher;
        this.clock = clock;
    }

    /**
     * @return the id of the user whose username and password these are
     * @throws Refusal 401, one answer for an unknown user and a wrong password
     */
    public String userIdOf(String username, String password) {
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
                credentials.replace(c, credential.userId(), credential.passwordHash(), upgraded,
                        clock.instant().truncatedTo(ChronoUnit.MILLIS));
                return null;
            });
        }
        return credential.userId();
    }

    /** @throws Refusal 401 when {@code password} is not the user's current password */
    public void requireCurrent(String userId, String password) {
        Optional<String> stored = database.withConnection(c -> credentials.hashOf(c, userId));
        if (stored.isEmpty()) {
            hasher.verifyDecoy(password);
            throw Refusal.unauthenticated(WRONG_CURRENT);
        }
        if (!hasher.verify(password, stored.get())) {
            throw Refusal.unauthenticated(WRONG_CURRENT);
        }
    }
}
