package io.kchat.gateway.webclient;

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
 */
public final class WebClientRoutes implements HttpService {

    public static final String ASSETS_PATH = "/app";
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
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'");
    private static final String HTML = "text/html; charset=UTF-8";

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
