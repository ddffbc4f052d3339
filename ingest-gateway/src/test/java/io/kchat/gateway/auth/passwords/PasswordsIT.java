package io.kchat.gateway.auth.passwords;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestUsers;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stored hashes and the password rules, through the API and the real database. */
class PasswordsIT {

    private static final String CURRENT_PARAMETERS = "$argon2id$v=19$m=19456,t=2,p=1$";
    private static RestApiFixture fixture;
    private static ApiClient client;

    @BeforeAll
    static void start() {
        fixture = RestApiFixture.start("PasswordsIT");
        client = fixture.client;
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void registrationStoresAnArgon2idHashWithTheCurrentParameters() {
        String userId = TestUsers.register(client, "fresh");

        assertTrue(storedHash(userId).startsWith(CURRENT_PARAMETERS), storedHash(userId));
    }

    @Test
    void aHashWithOtherParametersIsUpgradedAtTheNextSuccessfulLogin() {
        String userId = TestUsers.register(client, "veteran");
        String old = new PasswordHasher(new PasswordHasher.Parameters(8_192, 1, 1), 1).hash(TestUsers.PASSWORD);
        setStoredHash(userId, old);

        assertEquals(401, client.post("/v1/auth/login",
                "{\"username\":\"veteran\",\"password\":\"not the password at all\"}", null).status());
        assertEquals(old, storedHash(userId), "a failed login changes nothing");

        TestUsers.login(client, "veteran", "laptop");

        String upgraded = storedHash(userId);
        assertNotEquals(old, upgraded);
        assertTrue(upgraded.startsWith(CURRENT_PARAMETERS), upgraded);
        TestUsers.login(client, "veteran", "laptop");
        assertEquals(upgraded, storedHash(userId), "a current hash is left alone");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1234567", "password", "PASSWORD1", "iloveyou", "qwerty123", "football"})
    void registrationRefusesShortAndCommonPasswords(String password) {
        Answer answer = client.post("/v1/auth/register",
                "{\"username\":\"weak" + Math.abs(password.hashCode()) + "\",\"password\":\"" + password + "\"}", null);

        assertEquals(400, answer.status());
        assertEquals("bad_request", answer.text("code"));
        assertEquals("weak password", answer.text("title"));
    }

    @Test
    void registrationAcceptsUpTo128CharactersAndNoMore() {
        assertEquals(201, client.post("/v1/auth/register",
                "{\"username\":\"longest\",\"password\":\"" + "k".repeat(128) + "\"}", null).status());
        assertEquals(400, client.post("/v1/auth/register",
                "{\"username\":\"toolong\",\"password\":\"" + "k".repeat(129) + "\"}", null).status());
    }

    private static String storedHash(String userId) {
        return fixture.database.withConnection(c -> {
            try (PreparedStatement statement = c.prepareStatement(
                    "SELECT password_hash FROM credentials WHERE user_id = ?")) {
                statement.setString(1, userId);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getString(1);
                }
            }
        });
    }

    private static void setStoredHash(String userId, String hash) {
        fixture.database.withConnection(c -> {
            try (PreparedStatement statement = c.prepareStatement(
                    "UPDATE credentials SET password_hash = ? WHERE user_id = ?")) {
                statement.setString(1, hash);
                statement.setString(2, userId);
                return statement.executeUpdate();
            }
        });
    }
}
