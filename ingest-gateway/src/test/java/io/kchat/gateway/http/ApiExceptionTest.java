package io.kchat.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kchat.gateway.errors.Refusal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every kind of feature refusal answers the status, code and headers docs/api.md gives it, in the feature's words. */
class ApiExceptionTest {

    @Test
    void eachKindHasItsStatusAndCode() {
        assertMapped(Refusal.invalid("invalid title", "title is blank"), 400, ProblemCode.BAD_REQUEST);
        assertMapped(Refusal.forbidden("not allowed", "only the owner may"), 403, ProblemCode.FORBIDDEN);
        assertMapped(Refusal.notFound("unknown members", "no such users: u9"), 404, ProblemCode.NOT_FOUND);
        assertMapped(Refusal.conflict("name taken", "choose another"), 409, ProblemCode.CONFLICT);
        assertMapped(Refusal.tooLarge("body too long"), 413, ProblemCode.TOO_LARGE);
        assertMapped(Refusal.unsupportedType("unsupported media type", "text/html is not allowed"), 415,
                ProblemCode.BAD_REQUEST);
        assertMapped(Refusal.unavailable("event log unavailable"), 503, ProblemCode.INTERNAL);
    }

    @Test
    void unauthenticatedNamesTheBearerScheme() {
        ApiException e = assertMapped(Refusal.unauthenticated("invalid token"), 401, ProblemCode.UNAUTHORIZED);
        assertEquals(Map.of("WWW-Authenticate", "Bearer realm=\"kchat\""), e.headers());
    }

    @Test
    void rateLimitedSaysWhenToComeBack() {
        ApiException e = assertMapped(Refusal.rateLimited("too many code requests", "retry in 30 seconds", 30), 429,
                ProblemCode.RATE_LIMITED);
        assertEquals(Map.of("Retry-After", "30"), e.headers());
    }

    @Test
    void theReasonIsKept() {
        ApiException e = ApiException.of(Refusal.conflict("group full", "at most 3 members").withReason("group_full"));
        assertEquals("group_full", e.reason());
        assertNull(ApiException.of(Refusal.conflict("group full", null)).reason());
    }

    private static ApiException assertMapped(Refusal refusal, int status, ProblemCode code) {
        ApiException e = ApiException.of(refusal);
        assertEquals(status, e.status());
        assertEquals(code, e.code());
        assertEquals(refusal.title(), e.title());
        assertEquals(refusal.detail(), e.detail());
        return e;
    }
}
