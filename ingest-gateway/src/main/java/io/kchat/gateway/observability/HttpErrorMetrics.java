package io.kchat.gateway.observability;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.kchat.gateway.http.ProblemCode;
import java.util.Set;

/**
 * Counts the HTTP answers that are problems, by their code, and the 401s as auth failures. Helidon has applied the
 * error handlers by the time {@code proceed} returns here (a filter sees the status that was sent), so this sees
 * refusals thrown anywhere below, the draining node's 503 included. Health probes and scrapes are left out: a
 * draining node's 503 on {@code /health/ready} is its answer, not an error.
 */
public final class HttpErrorMetrics implements Filter {

    private final GatewayMetrics metrics;
    private final Set<String> ignoredPaths;

    public HttpErrorMetrics(GatewayMetrics metrics, Set<String> ignoredPaths) {
        this.metrics = metrics;
        this.ignoredPaths = Set.copyOf(ignoredPaths);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        // read before routing: the route may rewrite the request's path
        boolean ignored = ignoredPaths.contains(request.path().path());
        chain.proceed();
        int status = response.status().code();
        if (status < 400 || ignored) {
            return;
        }
        // the code a problem answer carries for this status (ProblemHandlers answers with the same mapping)
        metrics.error("http", ProblemCode.forStatus(status).wireName());
        if (status == 401) {
            metrics.authFailure("http");
        }
    }
}
