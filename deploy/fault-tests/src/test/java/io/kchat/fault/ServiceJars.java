package io.kchat.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the runnable jars are. Each is copied with its {@code lib/} once per test JVM into this module's
 * target directory, so that a rebuild of a service while the suite runs cannot swap a jar under a restart.
 */
final class ServiceJars {

    private static final Map<Service, Path> SNAPSHOTS = new EnumMap<>(Service.class);

    private ServiceJars() {
    }

    static synchronized Path jar(Service service) {
        return SNAPSHOTS.computeIfAbsent(service, ServiceJars::snapshot);
    }

    private static Path snapshot(Service service) {
        Path root = Path.of(System.getProperty("kchat.root", "../..")).toAbsolutePath().normalize();
        Path built = root.resolve(service.module()).resolve("target");
        Path jar = built.resolve(service.module() + ".jar");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(built.resolve("lib"))) {
            throw new IllegalStateException(jar + " (with lib/ beside it) is missing: build it first with "
                    + "./mvnw -pl " + service.module() + " package -DskipTests");
        }
        Path copy = Path.of("target", "services", service.module()).toAbsolutePath();
        try {
            deleteRecursively(copy);
            Files.createDirectories(copy.resolve("lib"));
            Files.copy(jar, copy.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            try (Stream<Path> libs = Files.list(built.resolve("lib"))) {
                for (Path lib : libs.toList()) {
                    Files.copy(lib, copy.resolve("lib").resolve(lib.getFileName()),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + jar + " and its lib/ to " + copy, e);
        }
        return copy.resolve(jar.getFileName());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
