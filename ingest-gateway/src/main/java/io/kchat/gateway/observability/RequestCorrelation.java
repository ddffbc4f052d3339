package io.kchat.gateway.observability;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.kchat.observability.Correlation;

/**
 * Gives each HTTP request a fresh correlation id for as long as it is handled (Helidon runs the filters and the
 * handler on the request's one thread): its log lines carry it, and so does every record the request publishes
 * (a conversation created, a member added). Never taken from the client.
 */
public final class RequestCorrelation implements Filter {

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        try (Correlation.Scope ignored = Correlation.open(Correlation.newId())) {
            chain.proceed();
        }
    }
}
