package io.kchat.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProblemCodeTest {

    @ParameterizedTest
    @CsvSource({"400,bad_request", "401,unauthorized", "403,forbidden", "404,not_found", "405,bad_request",
            "409,conflict", "413,too_large", "415,bad_request", "429,rate_limited", "500,internal", "503,internal"})
    void mapsServerStatusesToApiCodes(int status, String code) {
        assertEquals(code, ProblemCode.forStatus(status).wireName());
    }

    @ParameterizedTest
    @CsvSource({"404,not_found", "409,conflict"})
    void problemsCarryTheirCodeAndAType(int status, String code) {
        Problem problem = Problem.of(status, ProblemCode.forStatus(status), "title", null);

        assertEquals(code, problem.code());
        assertEquals("/problems/" + code, problem.type());
    }
}
