package io.kchat.gateway.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.gateway.Gateway;
import io.kchat.gateway.TestGateways;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A whole gateway node as Main starts it serves its API documentation: the OpenAPI document at /openapi (YAML, or
 * JSON when asked) and a page at /docs that reads it, every script and style of which the gateway serves itself.
 */
class DocsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The page's local references: {@code src="/..."} and {@code href="/..."}. */
    private static final Pattern LOCAL_LINK = Pattern.compile("(?:src|href)=\"(/[^\"]*)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start("DocsIT");
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void openApiIsServedAsYamlAndAsJsonWhenAsked() throws IOException {
        HttpResponse<String> yaml = get("/openapi", null);
        assertEquals(200, yaml.statusCode());
        assertEquals("application/yaml", contentType(yaml));
        assertEquals("Accept", yaml.headers().firstValue("Vary").orElse(null));
        JsonNode document = SpecFiles.readYaml(yaml.body());
        assertEquals("3.1.0", document.path("openapi").asText());
        assertEquals(SpecFiles.openApi(), document, "the document in the jar, as written");

        HttpResponse<String> json = get("/openapi", "application/json");
        assertEquals(200, json.statusCode());
        assertEquals("application/json", contentType(json));
        assertEquals(document, JSON.readTree(json.body()), "the same document in JSON");

        assertEquals("application/yaml", contentType(get("/openapi", "application/json;q=0.5, application/yaml")));
    }

    @Test
    void theDocsPageReadsOpenApiAndLoadsNothingFromElsewhere() {
        HttpResponse<String> page = get("/docs", "text/html");
        assertEquals(200, page.statusCode());
        assertEquals("text/html", contentType(page));
        assertTrue(page.body().contains("href=\"/openapi\""), "the page links the document");
        assertFalse(page.body().contains("://"), "no absolute URL, hence no CDN: " + page.body());

        List<String> links = new ArrayList<>();
        Matcher matcher = LOCAL_LINK.matcher(page.body());
        while (matcher.find()) {
            links.add(matcher.group(1));
        }
        assertTrue(links.contains("/docs/ui/swagger-ui-bundle.js"), "Swagger UI itself: " + links);
        for (String link : links) {
            HttpResponse<String> file = get(link, null);
            assertEquals(200, file.statusCode(), link);
            assertFalse(file.body().isEmpty(), link);
        }

        HttpResponse<String> initializer = get("/docs/ui/swagger-initializer.js", null);
        assertTrue(initializer.body().contains("url: \"/openapi\""),
                "our initializer, not the webjar's petstore one: " + initializer.body());
        assertEquals(404, get("/docs/ui/no-such-file.js", null).statusCode());
    }

    private static HttpResponse<String> get(String path, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(30));
        if (accept != null) {
            request.header("Accept", accept);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("GET " + path, e);
        }
    }

    /** The media type without parameters (charset). */
    private static String contentType(HttpResponse<?> response) {
        String value = response.headers().firstValue("Content-Type").orElse("");
        int parameters = value.indexOf(';');
        return (parameters < 0 ? value : value.substring(0, parameters)).trim();
    }
}
