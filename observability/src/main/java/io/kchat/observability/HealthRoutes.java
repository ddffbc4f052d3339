package io.kchat.observability;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /health/live}, {@code GET /health/ready} and {@code GET /health} (every check, answered like
 * readiness): 200 when up, 503 when down, with a JSON body naming each check's status. Never cached.
 */
public final class HealthRoutes implements HttpService {

    public static final String HEALTH = "/health";
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    /** The paths a draining server keeps answering: probes must see the 503, not a refused request. */
    public static final List<String> PATHS = List.of(HEALTH, LIVE, READY);

    private final Health health;

    public HealthRoutes(Health health) {
        this.health = health;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(HEALTH, (request, response) -> send(response, health.ready()))
                .get(LIVE, (request, response) -> send(response, health.live()))
                .get(READY, (request, response) -> send(response, health.ready()));
    }

    private static void send(ServerResponse response, HealthReport report) {
        response.status(report.up() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.CACHE_CONTROL, "no-store")
                .send(HealthJson.write(report).getBytes(StandardCharsets.UTF_8));
    }
}
