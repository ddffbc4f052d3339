package io.kchat.gateway.http;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kchat.gateway.errors.Refusal;
import org.junit.jupiter.api.function.Executable;

/** Asserts that a feature refuses, and gives the refusal as the REST API answers it (status, code, words). */
public final class Refusals {

    private Refusals() {
    }

    public static ApiException refused(Executable call) {
        return ApiException.of(assertThrows(Refusal.class, call));
    }
}
