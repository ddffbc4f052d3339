package io.kchat.gateway.assets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Files shipped in the gateway's jar. A missing one is a packaging bug: the gateway refuses to start. */
public final class ClasspathResources {

    private ClasspathResources() {
    }

    public static byte[] read(String name) {
        try (InputStream in = ClasspathResources.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing from the classpath: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
