package io.kchat.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kchat.gateway.http.ApiException;
import io.kchat.gateway.http.ProblemCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordPolicyTest {

    @ParameterizedTest
    @ValueSource(ints = {8, 9, 64, 128})
    void acceptsAnyCompositionFrom8To128Characters(int length) {
        assertDoesNotThrow(() -> PasswordPolicy.require("a".repeat(length), "password"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 129, 1000})
    void refusesShorterOrLongerAsBadRequest(int length) {
        ApiException e = assertThrows(ApiException.class, () -> PasswordPolicy.require("a".repeat(length), "password"));

        assertEquals(400, e.status());
        assertEquals(ProblemCode.BAD_REQUEST, e.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"😀😀😀😀😀😀😀😀", "пароль12"})
    void countsCharactersNotBytesOrUtf16Units(String password) {
        assertDoesNotThrow(() -> PasswordPolicy.require(password, "password"));
        assertThrows(ApiException.class, () -> PasswordPolicy.require(password.substring(0, password.length() - 2), "password"));
    }
}
