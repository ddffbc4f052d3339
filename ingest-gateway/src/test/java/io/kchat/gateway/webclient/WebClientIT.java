package io.kchat.gateway.webclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.Gateway;
import io.kchat.gateway.TestGateways;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gateway node serves the web client: the page at {@code /} and every module it loads, transitively, from its
 * own {@code /app/} files, each under a Content-Security-Policy that forbids inline script and foreign origins.
 * What the client does is tested in a real browser (chat-local's WebClientBrowserIT).
 */
class WebClientIT {

    private static final Pattern PAGE_LINK = Pattern.compile("(?:src|href)=\"([^\"]*)\"");
    /** Static imports of the ES modules: {@code import {a} from './x.js';} and {@code import './y.js';}. */
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:[^'\"]*?\\s+from\\s+)?'([^']+)';", Pattern.MULTILINE);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start("WebClientIT");
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void thePageIsServedWithAPolicyThatAllowsOnlyThisOriginsScripts() {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=UTF-8", page.headers().firstValue("Content-Type").orElse(null));
        assertProtected(page);
        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(policy.contains("script-src 'self'"), policy);
        assertFalse(policy.contains("unsafe-inline") || policy.contains("unsafe-eval") || policy.contains("*"), policy);
        assertTrue(policy.contains("frame-ancestors 'none'"), policy);
        // media are fetched with the bearer header and shown from blob: URLs; nothing else from anywhere but here
        assertTrue(policy.contains("img-src 'self' data: blob:") && policy.contains("media-src 'self' blob:"), policy);
        assertFalse(Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>").matcher(page.body()).find(),
                "no inline script in the page: the policy would refuse it anyway");
        assertFalse(Pattern.compile("\\son[a-z]+=").matcher(page.body()).find(),
                "no inline event handlers");
    }

    @Test
    void everyFileThePageLoadsTransitivelyIsServedFromAppWithThePolicy() {
        Set<String> visited = new TreeSet<>();
        Deque<String> toVisit = new ArrayDeque<>();
        Matcher links = PAGE_LINK.matcher(get("/").body());
        while (links.find()) {
            toVisit.add(links.group(1));
        }
        while (!toVisit.isEmpty()) {
            String path = toVisit.poll();
            assertTrue(path.startsWith("/app/"), "only the gateway's own files, no CDN: " + path);
            if (!visited.add(path)) {
                continue;
            }
            HttpResponse<String> file = get(path);
            assertEquals(200, file.statusCode(), path);
            assertProtected(file);
            if (path.endsWith(".js")) {
                assertEquals("text/javascript", file.headers().firstValue("Content-Type").orElse(null), path);
                Matcher imports = IMPORT.matcher(file.body());
                while (imports.find()) {
                    toVisit.add(URI.create(path).resolve(imports.group(1)).getPath());
                }
            }
        }
        assertTrue(visited.containsAll(Set.of("/app/main.js", "/app/app.css", "/app/socket.js", "/app/views/login.js",
                "/app/views/conversation.js")), "the modules were followed: " + visited);
        assertEquals(404, get("/app/no-such-module.js").statusCode());
    }

    @Test
    void theServiceWorkerIsAllowedTheWholeClientAsItsScopeAndNothingMore() {
        HttpResponse<String> worker = get(WebClientRoutes.SERVICE_WORKER);
        assertEquals(200, worker.statusCode());
        assertEquals("text/javascript", worker.headers().firstValue("Content-Type").orElse(null));
        assertProtected(worker);
        // without it a worker under /app/ could only be registered for /app/, and a notification's click opens /
        assertEquals("/", worker.headers().firstValue("Service-Worker-Allowed").orElse(null));
        assertTrue(worker.body().contains("addEventListener('push'"), "it handles pushes");
        assertTrue(worker.body().contains("addEventListener('notificationclick'"), "and their clicks");
        assertFalse(worker.body().contains("addEventListener('fetch'"), "it never stands between the page and the server");
        assertEquals(Optional.empty(), get("/app/main.js").headers().firstValue("Service-Worker-Allowed"),
                "no other file may be a worker for the whole origin");
        assertEquals(Optional.empty(), get("/").headers().firstValue("Service-Worker-Allowed"));
        String policy = worker.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(policy.contains("worker-src 'self'"), policy);
    }

    private static void assertProtected(HttpResponse<String> response) {
        assertEquals(WebClientRoutes.CONTENT_SECURITY_POLICY,
                response.headers().firstValue("Content-Security-Policy").orElse(null));
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElse(null));
    }

    private static HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
