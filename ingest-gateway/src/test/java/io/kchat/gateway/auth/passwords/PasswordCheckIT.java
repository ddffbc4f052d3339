package io.kchat.gateway.auth.passwords;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kchat.gateway.auth.MutableClock;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import io.kchat.infra.SharedInfrastructure;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Whose a username and password are, against the real credentials table; one answer for every refusal. */
class PasswordCheckIT {

    private static final String PASSWORD = "correct horse battery staple";
    /** Cheap parameters: what is checked here is who is found, not the hash's cost. */
    private static final PasswordHasher HASHER = new PasswordHasher(new PasswordHasher.Parameters(64, 1, 1), 2);

    private static Database database;
    private static PasswordCheck check;
    private static String userId;

    @BeforeAll
    static void start() {
        var postgres = SharedInfrastructure.postgres();
        database = Database.start(SharedInfrastructure.freshDatabase("PasswordCheckIT"), postgres.user(),
                postgres.password(), 2);
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        check = new PasswordCheck(database, HASHER, clock);
        userId = new AccountService(database, HASHER, new PasswordPolicy(PasswordDenylist.of()), clock)
                .register("kim", PASSWORD, null).userId();
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @Test
    void theRightPasswordNamesItsUserWhateverTheUsernamesCase() {
        assertEquals(userId, check.userIdOf("kim", PASSWORD));
        assertEquals(userId, check.userIdOf("KIM", PASSWORD));
    }

    @Test
    void anUnknownUserAWrongPasswordAndAnOverlongOneGetOneAnswer() {
        Refusal unknown = assertThrows(Refusal.class, () -> check.userIdOf("nobody", PASSWORD));
        Refusal wrong = assertThrows(Refusal.class, () -> check.userIdOf("kim", "not the password"));
        Refusal overlong = assertThrows(Refusal.class, () -> check.userIdOf("kim", "x".repeat(4 * 128 + 1)));
        Refusal malformed = assertThrows(Refusal.class, () -> check.userIdOf("no spaces allowed", PASSWORD));

        for (Refusal refusal : new Refusal[] {unknown, wrong, overlong, malformed}) {
            assertEquals(Refusal.Kind.UNAUTHENTICATED, refusal.kind());
            assertEquals("invalid username or password", refusal.title());
        }
    }

    @Test
    void theCurrentPasswordIsRequiredToBeTheStoredOne() {
        check.requireCurrent(userId, PASSWORD);

        Refusal wrong = assertThrows(Refusal.class, () -> check.requireCurrent(userId, "not the password"));
        Refusal noCredential = assertThrows(Refusal.class, () -> check.requireCurrent("no-such-user", PASSWORD));
        assertEquals("current password is wrong", wrong.title());
        assertEquals("current password is wrong", noCredential.title());
    }
}
