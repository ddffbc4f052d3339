package io.kchat.gateway.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.kchat.gateway.origins.OriginPolicy;
import io.kchat.gateway.origins.OriginRequest;
import java.util.Optional;

/**
 * CORS on the REST API (API, "Browsers: CORS"), from the same allow-list as the WebSocket ({@link OriginPolicy}: the
 * gateway's own origin and WS_ALLOWED_ORIGINS, never "any"). For an allowed origin a preflight is answered 204 with
 * the methods, the two request headers a client needs and a max age, and every other answer names that origin (never
 * {@code *}) and exposes {@code Retry-After} and {@code Location}. Any other origin gets no CORS header at all, its
 * preflight a 403 problem: the browser then keeps the page from the answer. Credentials are never allowed: the API
 * takes bearer tokens, not cookies.
 */
public final class CorsFilter implements Filter {

    static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, Range";
    static final String EXPOSED_HEADERS = "Retry-After, Location, Content-Range, Content-Disposition, ETag";
    /** How long a browser may reuse a preflight: the allow-list changes only with a restart. */
    static final String MAX_AGE_SECONDS = "600";

    private final OriginPolicy origins;

    public CorsFilter(OriginPolicy origins) {
        this.origins = origins;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        Optional<String> origin = request.headers().first(HeaderNames.ORIGIN);
        if (origin.isEmpty() || !isApi(request.path().path())) {
            chain.proceed();
            return;
        }
        boolean allowed = origins.allows(OriginRequest.of(request.headers()), request.remotePeer().address());
        // the answer differs by Origin: a cache must not hand one origin's answer to another
        response.header(HeaderNames.VARY, HeaderNames.ORIGIN_NAME);
        if (isPreflight(request)) {
            if (!allowed) {
                throw new ApiException(Status.FORBIDDEN_403.code(), ProblemCode.FORBIDDEN, "Forbidden",
                        "origin not allowed");
            }
            response.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin.get())
                    .header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS)
                    .header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS)
                    .header(HeaderNames.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS)
                    .status(Status.NO_CONTENT_204)
                    .send();
            return;
        }
        if (allowed) {
            response.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin.get())
                    .header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
        }
        chain.proceed();
    }

    /** The REST routes: the API and the key set. Not health, metrics or documents. */
    static boolean isApi(String path) {
        return path.startsWith("/v1/") || path.startsWith("/.well-known/");
    }

    private static boolean isPreflight(RoutingRequest request) {
        return Method.OPTIONS.equals(request.prologue().method())
                && request.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }
}
