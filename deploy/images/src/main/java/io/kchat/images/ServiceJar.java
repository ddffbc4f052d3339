package io.kchat.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A service's runnable jar ({@code <module>/target/<module>.jar}) and the dependencies its manifest lists
 * ({@code lib/...}): exactly what the image carries, so a stale jar left in target/lib stays out.
 */
record ServiceJar(Path jar, String mainClass, List<Path> classPath) {

    static ServiceJar of(Path root, String module) throws IOException {
        Path jar = root.resolve(module).resolve("target").resolve(module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: package " + module + " first (./mvnw -pl deploy/images -am package)");
        }
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
        }
        Attributes attributes = manifest == null ? new Attributes() : manifest.getMainAttributes();
        String mainClass = attributes.getValue(Attributes.Name.MAIN_CLASS);
        if (mainClass == null) {
            throw new IOException(jar + " has no Main-Class");
        }
        String classPathAttribute = attributes.getValue(Attributes.Name.CLASS_PATH);
        List<Path> classPath = classPathAttribute == null ? List.of() : Arrays.stream(classPathAttribute.trim().split("\\s+"))
                .map(entry -> jar.resolveSibling(entry).normalize())
                .toList();
        for (Path dependency : classPath) {
            if (!Files.isRegularFile(dependency)) {
                throw new IOException(jar + " lists " + dependency + ", which is missing: package " + module + " again");
            }
        }
        return new ServiceJar(jar, mainClass, classPath);
    }
}
