package io.kchat.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import io.kchat.images.probe.HealthProbe;

/** Packs {@link HealthProbe} into a runnable jar, byte for byte the same on every build (fixed entry times). */
final class HealthProbeJar {

    /** Where the images carry it: {@code java -jar /opt/kchat/health-probe.jar PORT}. */
    static final String IMAGE_PATH = "/opt/kchat/health-probe.jar";

    /** 1980-01-01, the earliest time a zip entry can hold; any fixed time keeps the layer's digest stable. */
    private static final long ENTRY_TIME = 315_532_800_000L;

    private HealthProbeJar() {
    }

    static Path write(Path dir) throws IOException {
        Path jar = Files.createDirectories(dir).resolve("health-probe.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, HealthProbe.class.getName());
        String classFile = HealthProbe.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(entry("META-INF/MANIFEST.MF"));
            manifest.write(out);
            out.closeEntry();
            out.putNextEntry(entry(classFile));
            try (InputStream in = HealthProbe.class.getClassLoader().getResourceAsStream(classFile)) {
                if (in == null) {
                    throw new IOException(classFile + " is not on the builder's class path");
                }
                in.transferTo(out);
            }
            out.closeEntry();
        }
        return jar;
    }

    private static JarEntry entry(String name) {
        JarEntry entry = new JarEntry(name);
        entry.setTime(ENTRY_TIME);
        return entry;
    }
}
