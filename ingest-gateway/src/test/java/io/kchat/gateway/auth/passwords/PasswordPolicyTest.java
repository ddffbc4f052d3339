package io.kchat.gateway.auth.passwords;

import static io.kchat.gateway.http.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kchat.gateway.http.ApiException;
import io.kchat.gateway.http.ProblemCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordPolicyTest {

    private static final PasswordPolicy POLICY = new PasswordPolicy(PasswordDenylist.shipped());

    @ParameterizedTest
    @ValueSource(ints = {8, 9, 64, 128})
    void acceptsAnyCompositionFrom8To128Characters(int length) {
        assertDoesNotThrow(() -> POLICY.require("a".repeat(length), "password"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 129, 1000})
    void refusesShorterOrLongerAsBadRequest(int length) {
        assertWeak("a".repeat(length));
    }

    @ParameterizedTest
    @ValueSource(strings = {"😀😀😀😀😀😀😀😀", "пароль12"})
    void countsCharactersNotBytesOrUtf16Units(String password) {
        assertDoesNotThrow(() -> POLICY.require(password, "password"));
        refused(() -> POLICY.require(password.substring(0, password.length() - 2), "password"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"password", "PASSWORD", "Password", "12345678", "qwertyuiop", "iloveyou", "sunshine",
            "PassWord1"})
    void refusesCommonPasswordsWhateverTheirCase(String password) {
        ApiException e = assertWeak(password);

        assertEquals("password is one of the most commonly used passwords; choose another", e.detail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"correct horse battery staple", "plum-kettle-ravine-42", "Tr0ub4dour&3x"})
    void acceptsUncommonOnes(String password) {
        assertDoesNotThrow(() -> POLICY.require(password, "password"));
    }

    private static ApiException assertWeak(String password) {
        ApiException e = refused(() -> POLICY.require(password, "password"));
        assertEquals(400, e.status());
        assertEquals(ProblemCode.BAD_REQUEST, e.code());
        assertEquals("weak password", e.title());
        return e;
    }
}
