package io.kchat.images;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What to build and where, from the system properties the module's pom passes (see pom.xml).
 *
 * @param root       the repository root: the services' build output is read from {@code <root>/<module>/target}
 * @param version    the image tag and the version label
 * @param services   the services to build an image for, by module name
 * @param outputDir  where each image's tarball goes ({@code <service>.tar})
 * @param workDir    scratch space: the assembled root file system and Jib's layer cache
 * @param baseImage  a registry image with a JRE to build on instead of the assembled base, when present
 * @param source     the {@code org.opencontainers.image.source} label, when known
 * @param licenses   the {@code org.opencontainers.image.licenses} label (an SPDX expression)
 */
public record ImagesConfig(Path root, String version, List<String> services, Path outputDir, Path workDir,
                           Optional<String> baseImage, Optional<String> source, String licenses) {

    public static ImagesConfig fromSystemProperties() {
        return new ImagesConfig(
                Path.of(required("kchat.root")).toAbsolutePath().normalize(),
                required("kchat.version"),
                Arrays.stream(required("kchat.images").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                Path.of(required("kchat.images.output")),
                Path.of(required("kchat.images.work")),
                optional("kchat.image.base"),
                optional("kchat.image.source"),
                optional("kchat.image.licenses").orElse("NOASSERTION"));
    }

    private static String required(String name) {
        return optional(name).orElseThrow(() -> new IllegalArgumentException("system property " + name + " is not set"));
    }

    private static Optional<String> optional(String name) {
        return Optional.ofNullable(System.getProperty(name)).map(String::trim).filter(s -> !s.isEmpty());
    }
}
