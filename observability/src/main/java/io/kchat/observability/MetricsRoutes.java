package io.kchat.observability;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: the registry in the Prometheus text exposition format, for a scraper. */
public final class MetricsRoutes implements HttpService {

    public static final String PATH = "/metrics";
    /** What {@link PrometheusMeterRegistry#scrape()} writes: the text format, version 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public MetricsRoutes(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(PATH, (request, response) -> response
                .header(HeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                .header(HeaderNames.CACHE_CONTROL, "no-store")
                .send(registry.scrape().getBytes(StandardCharsets.UTF_8)));
    }
}
