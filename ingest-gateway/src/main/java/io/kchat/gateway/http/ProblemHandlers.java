package io.kchat.gateway.http;

import io.helidon.http.HttpException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kchat.gateway.errors.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become answers: refusals ({@link ApiException}) and the web server's own
 * statuses (unknown path, wrong method) as problem JSON; anything else is a bug, logged with its stack
 * and answered 500 without details.
 */
public final class ProblemHandlers {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandlers.class);

    private ProblemHandlers() {
    }

    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, ProblemHandlers::refused);
        routing.error(Refusal.class, (request, response, e) -> refused(request, response, ApiException.of(e)));
        routing.error(HttpException.class, ProblemHandlers::serverStatus);
        routing.error(Throwable.class, ProblemHandlers::unexpected);
    }

    private static void refused(ServerRequest request, ServerResponse response, ApiException e) {
        if (e.status() >= 500) {
            log.warn("{} {} answered {}: {}", request.prologue().method(), request.path().path(), e.status(),
                    e.getMessage(), e.getCause());
        }
        e.headers().forEach(response::header);
        send(response, Problem.of(e.status(), e.code(), e.title(), e.detail(), e.reason()).with(e.extensions()));
    }

    private static void serverStatus(ServerRequest request, ServerResponse response, HttpException e) {
        int status = e.status().code();
        if (status >= 500) {
            log.error("{} {} failed", request.prologue().method(), request.path().path(), e);
        }
        send(response, Problem.of(status, ProblemCode.forStatus(status), e.status().reasonPhrase(), null));
    }

    private static void unexpected(ServerRequest request, ServerResponse response, Throwable e) {
        log.error("{} {} failed", request.prologue().method(), request.path().path(), e);
        send(response, Problem.of(500, ProblemCode.INTERNAL, "internal error", null));
    }

    public static void send(ServerResponse response, Problem problem) {
        JsonResponses.write(response, problem.status(), JsonResponses.PROBLEM_JSON, problem);
    }
}
