package io.kchat.gateway.http;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of a draining node: once {@link #close() closed}, every new request is answered 503 (code
 * {@code internal}, the API's "may succeed later") with {@code Connection: close}, so that the client, or the
 * load balancer, tries another node. Counts the requests in progress, so that the drain lets them finish
 * before the producer and the database close under them.
 *
 * <p>Paths that always stay open (health probes, metrics scrapes) pass untouched and uncounted: while the node
 * drains, {@code /health/ready} must answer its own 503, and a scrape must still see the drain.
 */
public final class RequestGate implements Filter {

    private static final Duration POLL = Duration.ofMillis(20);

    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger inProgress = new AtomicInteger();
    private final Set<String> alwaysOpen;

    /** @param alwaysOpen exact paths answered even while the node drains */
    public RequestGate(Set<String> alwaysOpen) {
        this.alwaysOpen = Set.copyOf(alwaysOpen);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        if (alwaysOpen.contains(request.path().path())) {
            chain.proceed();
            return;
        }
        // counted before the check: a request the drain does not see as in progress has seen the gate closed
        inProgress.incrementAndGet();
        try {
            if (closed.get()) {
                throw goingAway();
            }
            chain.proceed();
        } finally {
            inProgress.decrementAndGet();
        }
    }

    /** From now on, new requests are refused. */
    public void close() {
        closed.set(true);
    }

    public int inProgress() {
        return inProgress.get();
    }

    /** Waits until no request is in progress, at most {@code timeout}; returns whether none is. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inProgress.get() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(POLL);
        }
        return true;
    }

    private static ApiException goingAway() {
        return new ApiException(503, ProblemCode.INTERNAL, "server going away",
                "this server is shutting down; retry on another", Map.of("Connection", "close"));
    }
}
