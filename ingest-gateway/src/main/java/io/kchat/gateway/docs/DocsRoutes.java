package io.kchat.gateway.docs;

import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kchat.gateway.assets.ClasspathResources;
import java.util.List;

/**
 * The API documentation, public: {@code GET /openapi} (YAML, or JSON when {@code Accept} prefers it) and
 * {@code GET /docs}, a Swagger UI page on it whose files are under {@code /docs/ui}.
 */
public final class DocsRoutes implements HttpService {

    /** The page's scripts and styles: static files, not API operations. */
    public static final String ASSETS_PATH = "/docs/ui";
    private static final String OPENAPI_PATH = "/openapi";
    private static final String PAGE_PATH = "/docs";
    private static final String PAGE = SwaggerUi.OWN_FILES + "/index.html";
    private static final String HTML = "text/html; charset=UTF-8";

    private final OpenApiDocument openApi;
    private final byte[] page;
    private final List<HttpService> assets;

    public DocsRoutes() {
        this.openApi = OpenApiDocument.load();
        this.page = ClasspathResources.read(PAGE);
        this.assets = SwaggerUi.assets();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(OPENAPI_PATH, this::openApi)
                .get(PAGE_PATH, this::page)
                .register(ASSETS_PATH, assets.toArray(HttpService[]::new));
    }

    private void openApi(ServerRequest request, ServerResponse response) {
        MediaType type = request.headers().bestAccepted(MediaTypes.APPLICATION_YAML, MediaTypes.APPLICATION_JSON)
                .orElse(MediaTypes.APPLICATION_YAML); // neither accepted: the form it is written in
        boolean json = type.equals(MediaTypes.APPLICATION_JSON);
        response.header(HeaderNames.VARY, "Accept");
        response.header(HeaderNames.CONTENT_TYPE, type.text());
        response.send(json ? openApi.json() : openApi.yaml());
    }

    private void page(ServerRequest request, ServerResponse response) {
        response.header(HeaderNames.CONTENT_TYPE, HTML);
        response.send(page);
    }
}
