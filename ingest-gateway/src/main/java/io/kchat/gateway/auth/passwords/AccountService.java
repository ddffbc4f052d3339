package io.kchat.gateway.auth.passwords;

import io.kchat.gateway.accounts.DisplayNames;
import io.kchat.gateway.accounts.UserProfile;
import io.kchat.gateway.accounts.UserStore;
import io.kchat.gateway.accounts.Usernames;
import io.kchat.gateway.db.DataAccessException;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.db.SqlStates;
import io.kchat.gateway.errors.Refusal;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Creates password accounts. */
public final class AccountService {

    private final Database database;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final Clock clock;
    private final UserStore users = new UserStore();
    private final CredentialStore credentials = new CredentialStore();

    public AccountService(Database database, PasswordHasher hasher, PasswordPolicy policy, Clock clock) {
        this.database = database;
        this.hasher = hasher;
        this.policy = policy;
        this.clock = clock;
    }

    /** @throws Refusal 400 for an invalid username, display name or weak password; 409 when taken */
    public UserProfile register(String username, String password, String displayName) {
        Usernames.require(username);
        policy.require(password, "password");
        String name = displayName == null ? username : DisplayNames.require(displayName);
        // Hash before the transaction: it is the slow part and needs no connection.
        String passwordHash = hasher.hash(password);
        UserProfile user = new UserProfile(UUID.randomUUID().toString(), username, name);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        try {
            database.inTransaction(connection -> {
                users.insert(connection, user, now);
                credentials.upsert(connection, user.userId(), passwordHash, now);
                return null;
            });
        } catch (DataAccessException e) {
            if (e.getCause() instanceof SQLException sql && SqlStates.isUniqueViolation(sql)) {
                throw Refusal.conflict("username taken", "choose another username");
            }
            throw e;
        }
        return user;
    }
}
