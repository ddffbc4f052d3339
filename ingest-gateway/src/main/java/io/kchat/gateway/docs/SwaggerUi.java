package io.kchat.gateway.docs;

import io.helidon.webserver.http.HttpService;
import io.kchat.gateway.assets.ClasspathFiles;
import io.kchat.gateway.assets.ClasspathResources;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * The files of the documentation page: Swagger UI from its webjar (org.webjars:swagger-ui), so the page works
 * offline and loads nothing from a CDN, and our own files ({@value #OWN_FILES}) in front of it, which replace
 * the webjar's initializer (it points at the Swagger petstore) with one that points at {@code /openapi}.
 */
final class SwaggerUi {

    static final String OWN_FILES = "docs-ui";
    private static final String WEBJAR_PROPERTIES = "META-INF/maven/org.webjars/swagger-ui/pom.properties";

    private SwaggerUi() {
    }

    /** The services to register, in order: a file missing from the first is looked up in the next. */
    static List<HttpService> assets() {
        return List.of(ClasspathFiles.service(OWN_FILES), ClasspathFiles.service("META-INF/resources/webjars/swagger-ui/" + webjarVersion()));
    }

    /** The webjar's files sit under its version: read it from the jar rather than repeat it here. */
    private static String webjarVersion() {
        Properties properties = new Properties();
        try {
            properties.load(new ByteArrayInputStream(ClasspathResources.read(WEBJAR_PROPERTIES)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = properties.getProperty("version");
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("no version in " + WEBJAR_PROPERTIES);
        }
        return version;
    }
}
