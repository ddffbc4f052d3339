package io.kchat.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads back the tarballs the package phase wrote (target/images) and checks what a container engine would
 * run: entrypoint, user, labels, ports, volumes, and that the files these point at are in the layers.
 */
class ImageArchiveIT {

    private static final Logger LOG = LoggerFactory.getLogger(ImageArchiveIT.class);

    /** Written here, not taken from the builder's specs, so that a wrong spec fails. */
    private static final Map<String, String> MAIN_CLASSES = Map.of(
            "ingest-gateway", "io.kchat.gateway.Main",
            "streams-processor", "io.kchat.processor.Main",
            "delivery-service", "io.kchat.delivery.Main",
            "assistant-worker", "io.kchat.assistant.Main");
    private static final Map<String, Set<String>> PORTS = Map.of(
            "ingest-gateway", Set.of("8080/tcp"),
            "streams-processor", Set.of("8081/tcp"),
            "delivery-service", Set.of("8081/tcp"),
            "assistant-worker", Set.of("8081/tcp"));
    private static final Map<String, Set<String>> VOLUMES = Map.of(
            "ingest-gateway", Set.of(),
            "streams-processor", Set.of("/var/lib/kchat/streams"),
            "delivery-service", Set.of(),
            "assistant-worker", Set.of());
    /** Gzipped, as pulled; about 80, 155, 67 and 60 MB when written (RocksDB's jar alone is 70 MB). */
    private static final Map<String, Long> SIZE_BUDGETS_MB = Map.of(
            "ingest-gateway", 110L,
            "streams-processor", 200L,
            "delivery-service", 100L,
            "assistant-worker", 100L);

    private static final Map<String, ImageArchive> ARCHIVES = new ConcurrentHashMap<>();

    static Stream<String> modules() {
        return Arrays.stream(System.getProperty("kchat.images").split(",")).map(String::trim).filter(s -> !s.isEmpty());
    }

    static boolean assembledBase() {
        return System.getProperty("kchat.image.base", "").isBlank();
    }

    static Path tarball(String module) {
        return Path.of(System.getProperty("kchat.images.output")).resolve(module + ".tar");
    }

    static ImageArchive archive(String module) {
        return ARCHIVES.computeIfAbsent(module, m -> {
            try {
                return ImageArchive.read(tarball(m), path -> path.equals("/etc/passwd") || path.equals("/app/" + m + ".jar"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void entrypointRunsTheServicesMainClassFromItsJar(String module) throws IOException {
        ImageArchive image = archive(module);
        List<String> entrypoint = image.entrypoint();

        assertEquals(assembledBase() ? "/opt/java/bin/java" : "java", entrypoint.getFirst());
        assertEquals(MAIN_CLASSES.get(module), entrypoint.getLast());
        assertEquals("/app/" + module + ".jar", entrypoint.get(entrypoint.indexOf("-cp") + 1), entrypoint.toString());

        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(image.entry("/app/" + module + ".jar").content()))) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertEquals(entrypoint.getLast(), manifest.getValue(Attributes.Name.MAIN_CLASS));
            Set<String> classes = new HashSet<>();
            for (JarEntry entry = jar.getNextJarEntry(); entry != null; entry = jar.getNextJarEntry()) {
                classes.add(entry.getName());
            }
            assertTrue(classes.contains(entrypoint.getLast().replace('.', '/') + ".class"),
                    "the main class is not in /app/" + module + ".jar");
            // the manifest's Class-Path is the class path: every jar it names must be in the image
            List<String> missing = new ArrayList<>();
            for (String dependency : manifest.getValue(Attributes.Name.CLASS_PATH).trim().split("\\s+")) {
                if (!image.entries().containsKey("/app/" + dependency)) {
                    missing.add(dependency);
                }
            }
            assertEquals(List.of(), missing, "dependencies missing from /app/lib");
        }
        assertTrue(image.entries().containsKey(HealthProbeJar.IMAGE_PATH), "no health probe");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void runsAsANonRootUserKnownToTheImage(String module) {
        ImageArchive image = archive(module);

        assertEquals("65532:65532", image.containerConfig().get("User").asText());
        assertEquals("/app", image.containerConfig().get("WorkingDir").asText());
        if (assembledBase()) {
            String passwd = new String(image.entry("/etc/passwd").content(), StandardCharsets.UTF_8);
            assertTrue(passwd.lines().anyMatch(line -> line.startsWith("kchat:x:65532:65532:")), passwd);
            assertEquals(65532, image.entry("/home/kchat").uid());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void labelsSayWhatItIsAndWhichCommitItWasBuiltFrom(String module) throws IOException {
        ImageArchive image = archive(module);
        JsonNode labels = image.containerConfig().get("Labels");
        GitRevision revision = GitRevision.of(Path.of(System.getProperty("kchat.root")));
        String version = System.getProperty("kchat.version");

        List<String> tags = new ArrayList<>();
        image.manifest().get("RepoTags").forEach(tag -> tags.add(tag.asText()));
        assertEquals(List.of("kchat/" + module + ":" + version), tags);
        assertEquals(module, labels.get("org.opencontainers.image.title").asText());
        assertEquals(version, labels.get("org.opencontainers.image.version").asText());
        assertEquals(revision.commit(), labels.get("org.opencontainers.image.revision").asText());
        assertTrue(revision.commit().matches("[0-9a-f]{40}"), "not built from a git checkout: " + revision.commit());
        assertEquals(revision.time(), Instant.parse(labels.get("org.opencontainers.image.created").asText()));
        assertEquals(revision.time(), Instant.parse(image.imageConfig().get("created").asText()));
        assertFalse(labels.path("org.opencontainers.image.licenses").asText().isBlank());
        assertFalse(labels.path("org.opencontainers.image.description").asText().isBlank());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void exposesItsPortsAndKeepsItsStateOnAVolumeItsUserOwns(String module) {
        ImageArchive image = archive(module);

        assertEquals(PORTS.get(module), fieldNames(image.containerConfig().path("ExposedPorts")));
        assertEquals(VOLUMES.get(module), fieldNames(image.containerConfig().path("Volumes")));
        for (String volume : VOLUMES.get(module)) {
            ImageArchive.Entry dir = image.entry(volume);
            assertTrue(dir.directory());
            assertEquals(65532, dir.uid(), "a new volume takes the ownership of the image's directory");
        }
        if (module.equals("streams-processor")) {
            assertEquals("/var/lib/kchat/streams", image.environment("CHAT_STATE_DIR"));
        }
        if (!module.equals("ingest-gateway")) {
            assertEquals("8081", image.environment("HEALTH_PORT"));
        }
        assertEquals("-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError", image.environment("JAVA_TOOL_OPTIONS"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void carriesAJreAndTheSharedLibrariesItLoadsButNoJdk(String module) {
        ImageArchive image = archive(module);
        if (!assembledBase()) {
            assertEquals(System.getProperty("kchat.image.base"),
                    image.containerConfig().get("Labels").path("org.opencontainers.image.base.name").asText());
            return;
        }
        assertTrue(image.entry("/opt/java/bin/java").isExecutable());
        for (String file : List.of("/opt/java/lib/modules", "/opt/java/lib/server/libjvm.so",
                "/opt/java/lib/server/classes.jsa", "/opt/java/lib/security/cacerts", "/opt/java/legal/java.base/LICENSE")) {
            assertNotNull(image.entries().get(file), file);
        }
        for (String absent : List.of("/opt/java/bin/javac", "/opt/java/jmods", "/opt/java/include", "/opt/java/man",
                "/opt/java/lib/src.zip", "/opt/java/lib/libawt_xawt.so")) {
            assertFalse(image.entries().containsKey(absent), absent + " has no place in a runtime image");
        }
        assertTrue(image.entries().values().stream()
                        .anyMatch(e -> e.path().matches("/lib(64)?/ld-linux.*\\.so\\.\\d+") && e.isExecutable()),
                "no executable dynamic loader");
        assertTrue(image.entries().keySet().stream().anyMatch(p -> p.matches("/lib/.*/libc\\.so\\.6")), "no libc");
        // RocksDB's JNI library is C++: the base carries its runtime for every service alike
        assertTrue(image.entries().keySet().stream().anyMatch(p -> p.matches("/lib/.*/libstdc\\+\\+\\.so\\.6")), "no libstdc++");
        assertEquals(777, Integer.parseInt(Integer.toOctalString(image.entry("/tmp").mode() & 0777)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void compressedSizeStaysWithinItsBudget(String module) {
        ImageArchive image = archive(module);
        List<String> layers = new ArrayList<>();
        JsonNode history = image.imageConfig().get("history");
        int i = 0;
        for (Map.Entry<String, Long> layer : image.layerSizes().entrySet()) {
            layers.add(history.get(i++).path("comment").asText() + " " + layer.getValue() / 1_000_000 + " MB");
        }
        long megabytes = image.compressedSize() / 1_000_000;
        LOG.info("kchat/{}: {} MB compressed: {}", module, megabytes, layers);

        assertTrue(megabytes <= SIZE_BUDGETS_MB.get(module), module + " is " + megabytes + " MB: " + layers);
    }

    @Test
    void theImagesShareTheirBaseLayers() {
        List<String> modules = modules().toList();
        List<List<String>> baseLayers = new ArrayList<>();
        for (String module : modules) {
            List<String> layers = new ArrayList<>(archive(module).layerSizes().keySet());
            baseLayers.add(layers.subList(0, assembledBase() ? 3 : 1)); // os, jre, health probe
        }
        for (List<String> layers : baseLayers) {
            assertEquals(baseLayers.getFirst(), layers, "pulled once for all the services, stored once");
        }
        assertFalse(modules.isEmpty(), "no image to check: kchat.images is empty");
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
