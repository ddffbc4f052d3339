package io.kchat.gateway.auth.passwords;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {

    private static final PasswordHasher HASHER = new PasswordHasher();

    @Test
    void hashIsAnArgon2idPhcStringWithTheOwaspParameters() {
        String hash = HASHER.hash("correct horse battery staple");

        assertTrue(hash.matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), hash);
    }

    @Test
    void verifiesTheRightPasswordOnly() {
        String hash = HASHER.hash("correct horse battery staple");

        assertTrue(HASHER.verify("correct horse battery staple", hash));
        assertFalse(HASHER.verify("correct horse battery stapler", hash));
        assertFalse(HASHER.verify("", hash));
    }

    @Test
    void saltsEveryHash() {
        assertNotEquals(HASHER.hash("same password"), HASHER.hash("same password"));
    }

    @Test
    void verifiesTheReferenceImplementationsTestVector() {
        // argon2 reference test.c: Argon2id v1.3, t=2, m=2^16, p=1, "password", "somesalt"
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

        assertTrue(HASHER.verify("password", reference));
        assertFalse(HASHER.verify("passwore", reference));
    }

    @Test
    void hashesWithOtherParametersVerifyButNeedARehash() {
        PasswordHasher older = new PasswordHasher(new PasswordHasher.Parameters(8_192, 1, 1), 1);
        String oldHash = older.hash("a long enough password");

        assertTrue(HASHER.verify("a long enough password", oldHash));
        assertTrue(HASHER.needsRehash(oldHash));
        assertFalse(HASHER.needsRehash(HASHER.hash("a long enough password")));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=16$m=19456,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ",
            "$argon2id$v=19$m=1,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"})
    void malformedStoredHashesNeverMatchAndNeedARehash(String stored) {
        assertFalse(HASHER.verify("password", stored));
        assertTrue(HASHER.needsRehash(stored));
    }
}
