package io.kchat.gateway.http;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.CharConversionException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A body whose bytes cannot be decoded as text (e.g. a few bytes that look like truncated UTF-32) makes Jackson
 * throw a {@link CharConversionException}, an {@code IOException} but not a {@code JsonProcessingException};
 * {@link JsonBodies} wraps it in an {@link UncheckedIOException}, which would be a 500. This answers it 400 like
 * any malformed body; other I/O failures stay 500. Found by the REST body fuzz test.
 */
public final class UndecodableBodies {

    private static final Logger log = LoggerFactory.getLogger(UndecodableBodies.class);

    private UndecodableBodies() {
    }

    /** Helidon picks the handler of the closest exception class, so this takes precedence for its class only. */
    public static HttpRouting.Builder register(HttpRouting.Builder routing) {
        return routing.error(UncheckedIOException.class, UndecodableBodies::handle);
    }

    private static void handle(ServerRequest request, ServerResponse response, UncheckedIOException e) {
        if (e.getCause() instanceof CharConversionException) {
            ProblemHandlers.send(response, Problem.of(400, ProblemCode.BAD_REQUEST, "malformed request body",
                    "not valid JSON"));
            return;
        }
        log.error("{} {} failed", request.prologue().method(), request.path().path(), e);
        ProblemHandlers.send(response, Problem.of(500, ProblemCode.INTERNAL, "internal error", null));
    }
}
