package io.kchat.gateway.assets;

import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import io.helidon.webserver.staticcontent.TemporaryStorage;

/** Static files served from a folder of the gateway's jar. */
public final class ClasspathFiles {

    private ClasspathFiles() {
    }

    /** The files under {@code location}; a path with no file under it is answered 404. */
    public static HttpService service(String location) {
        return StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                .location(location)
                // served from the jar (and the memory cache), never extracted to temporary files
                .temporaryStorage(TemporaryStorage.create(storage -> storage.enabled(false)))
                .build());
    }
}
