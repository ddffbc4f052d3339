package io.kchat.gateway.webclient;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kchat.gateway.assets.ClasspathFiles;
import io.kchat.gateway.assets.ClasspathResources;

/**
 * The web client: its page at {@code GET /} and its modules, styles and icons under {@value #ASSETS_PATH}, all from
 * the gateway's jar (nothing from a CDN, nothing built by Node). Every answer carries a Content-Security-Policy
 * that allows scripts, styles and connections from this origin only: no inline script, no eval, so an injected
 * message body can never run as code, and no other site can frame the page. Images and audio may also come from
 * {@code blob:} URLs, the page's own copies of media it downloaded with its token.
 *
 * <p>The service worker that shows push notifications is one of those files, {@value #SERVICE_WORKER}, answered with
 * {@code Service-Worker-Allowed: /} so that the page can register it for the whole client (scope {@code /}): a
 * notification's click must reach the page at {@code /}. Being under {@value #ASSETS_PATH}, it needs no route of its
 * own and gets the same policy, which it needs nothing beyond ({@code worker-src 'self'} says so for the page).
 */
public final class WebClientRoutes implements HttpService {

    public static final String ASSETS_PATH = "/app";
    public static final String SERVICE_WORKER = ASSETS_PATH + "/sw.js";
    static final String FILES = "web-client";
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            // photos, avatars and voice notes are downloaded with the bearer header and shown through blob: URLs
            "img-src 'self' data: blob:",
            "media-src 'self' blob:",
            // 'self' covers ws: and wss: to this host and port (CSP level 3), which is all the socket needs
            "connect-src 'self'",
            "manifest-src 'self'",
            // the push service worker, a file of this origin (the fallback, script-src, would allow it too)
            "worker-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'");
    private static final String HTML = "text/html; charset=UTF-8";
    private static final HeaderName SERVICE_WORKER_ALLOWED = HeaderNames.create("Service-Worker-Allowed");

    private final byte[] page;
    private final HttpService assets;

    public WebClientRoutes() {
        this.page = ClasspathResources.read(FILES + "/index.html");
        this.assets = ClasspathFiles.service(FILES + ASSETS_PATH);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::page)
                .register(ASSETS_PATH, WebClientRoutes::protectedAsset, assets);
    }

    private void page(ServerRequest request, ServerResponse response) {
        protect(response);
        response.header(HeaderNames.CONTENT_TYPE, HTML);
        response.send(page);
    }

    private static void protectedAsset(HttpRules rules) {
        rules.any((request, response) -> {
            protect(response);
            if (SERVICE_WORKER.equals(request.path().absolute().path())) {
                response.header(SERVICE_WORKER_ALLOWED, "/");
            }
            response.next();
        });
    }

    private static void protect(ServerResponse response) {
        response.header(HeaderNames.create("Content-Security-Policy"), CONTENT_SECURITY_POLICY);
        response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        response.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
        // revalidated on every load: a new gateway version's client is picked up at once, unchanged files cost a 304
        response.header(HeaderNames.CACHE_CONTROL, "no-cache");
    }
}
