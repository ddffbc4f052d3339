package io.kchat.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one service's image as a docker-archive tarball ({@code docker load -i}) with Jib: the base's
 * layers, then the health probe, the released dependencies, the snapshot ones and the service's jar, each a
 * layer of its own so that a code change replaces only the last.
 */
final class ImageBuilder {

    static final String APP_DIR = "/app";
    /** Under the work directory: Jib's cache of the layers it compressed. */
    static final String LAYER_CACHE = "jib-cache";
    static final String USER = OsFiles.OWNER;
    /** Image defaults the deployment replaces whole by setting its own (as compose and Kubernetes do). */
    static final String JAVA_TOOL_OPTIONS = "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError";

    private static final Logger LOG = LoggerFactory.getLogger(ImageBuilder.class);

    private final ImagesConfig config;
    private final ImageBase base;
    private final GitRevision revision;
    private final Path probeJar;

    ImageBuilder(ImagesConfig config, ImageBase base, GitRevision revision, Path probeJar) {
        this.config = config;
        this.base = base;
        this.revision = revision;
        this.probeJar = probeJar;
    }

    static String imageName(String module, String version) {
        return "kchat/" + module + ":" + version;
    }

    /** Builds {@code <outputDir>/<module>.tar} and returns its path. */
    Path build(ServiceImage service, ServiceJar jar) throws IOException {
        Files.createDirectories(config.outputDir());
        Path tarball = config.outputDir().resolve(service.module() + ".tar");
        JibContainerBuilder image = base.start()
                .addFileEntriesLayer(FileEntriesLayer.builder().setName("health-probe")
                        .addEntry(probeJar, AbsoluteUnixPath.get(HealthProbeJar.IMAGE_PATH)).build())
                .addFileEntriesLayer(dependencies("dependencies", jar, false))
                .addFileEntriesLayer(dependencies("snapshot-dependencies", jar, true))
                .addFileEntriesLayer(application(service, jar))
                .setEntrypoint(entrypoint(service, jar))
                .setUser(USER)
                .setWorkingDirectory(AbsoluteUnixPath.get(APP_DIR))
                .setFormat(ImageFormat.Docker)
                .setCreationTime(revision.time());
        environment(service).forEach(image::addEnvironmentVariable);
        labels(service).forEach(image::addLabel);
        service.ports().forEach(port -> image.addExposedPort(Port.tcp(port)));
        service.volumes().forEach(volume -> image.addVolume(AbsoluteUnixPath.get(volume)));

        try {
            Containerizer containerizer = Containerizer
                    .to(TarImage.at(tarball).named(imageName(service.module(), config.version())))
                    .setApplicationLayersCache(config.workDir().resolve(LAYER_CACHE))
                    .setBaseImageLayersCache(config.workDir().resolve("jib-base-cache"))
                    .setOfflineMode(base.offline())
                    .setToolName("kchat-images")
                    .addEventHandler(LogEvent.class, ImageBuilder::log);
            JibContainer container = image.containerize(containerizer);
            LOG.info("{}: {} ({} MB), image id {}", imageName(service.module(), config.version()), tarball,
                    Files.size(tarball) / 1_000_000, container.getImageId());
            return tarball;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building " + service.module(), e);
        } catch (InvalidImageReferenceException | RegistryException | CacheDirectoryCreationException | ExecutionException e) {
            throw new IOException("building the image of " + service.module() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * {@code -cp} the service's jar, whose manifest Class-Path names its dependencies in Maven's order; the
     * main class spelled out so that the image says what it runs. The launcher options depend on the JRE's
     * version, which is the build's: Kafka and RocksDB use sun.misc.Unsafe and JNI, which JDK 23 and 24 warn
     * about at each start.
     */
    List<String> entrypoint(ServiceImage service, ServiceJar jar) {
        List<String> entrypoint = new ArrayList<>(List.of(base.java()));
        if (base instanceof ImageBase.Assembled && Runtime.version().feature() >= 23) {
            entrypoint.add("--sun-misc-unsafe-memory-access=allow");
        }
        entrypoint.add("--enable-native-access=ALL-UNNAMED");
        entrypoint.addAll(List.of("-cp", APP_DIR + "/" + jar.jar().getFileName(), jar.mainClass()));
        return entrypoint;
    }

    private Map<String, String> environment(ServiceImage service) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
        environment.putAll(service.environment());
        return environment;
    }

    private Map<String, String> labels(ServiceImage service) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("org.opencontainers.image.title", service.module());
        labels.put("org.opencontainers.image.description", service.description());
        labels.put("org.opencontainers.image.version", config.version());
        labels.put("org.opencontainers.image.revision", revision.commit());
        labels.put("org.opencontainers.image.created", revision.time().toString());
        labels.put("org.opencontainers.image.licenses", config.licenses());
        config.source().ifPresent(source -> labels.put("org.opencontainers.image.source", source));
        labels.putAll(base.labels());
        return labels;
    }

    private static FileEntriesLayer dependencies(String name, ServiceJar jar, boolean snapshots) {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        AbsoluteUnixPath lib = AbsoluteUnixPath.get(APP_DIR).resolve("lib");
        jar.classPath().stream()
                .filter(dependency -> dependency.getFileName().toString().endsWith("-SNAPSHOT.jar") == snapshots)
                .forEach(dependency -> layer.addEntry(dependency, lib.resolve(dependency.getFileName().toString())));
        return layer.build();
    }

    /** The service's jar, and its volumes' directories owned by its user: a new volume copies that ownership. */
    private FileEntriesLayer application(ServiceImage service, ServiceJar jar) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("application")
                .addEntry(jar.jar(), AbsoluteUnixPath.get(APP_DIR).resolve(jar.jar().getFileName().toString()));
        Path emptyDir = Files.createDirectories(config.workDir().resolve("empty"));
        for (String volume : service.volumes()) {
            layer.addEntry(emptyDir, AbsoluteUnixPath.get(volume), FilePermissions.DEFAULT_FOLDER_PERMISSIONS,
                    FileEntriesLayer.DEFAULT_MODIFICATION_TIME, OsFiles.OWNER);
        }
        return layer.build();
    }

    private static void log(LogEvent event) {
        switch (event.getLevel()) {
            case ERROR -> LOG.error(event.getMessage());
            case WARN -> LOG.warn(event.getMessage());
            case LIFECYCLE -> LOG.info(event.getMessage());
            default -> LOG.debug(event.getMessage());
        }
    }
}
