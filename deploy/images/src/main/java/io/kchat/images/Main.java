package io.kchat.images;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the services' images at the module's package phase (see pom.xml for the system properties): the
 * base once, then one tarball per service.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws IOException {
        long start = System.nanoTime();
        ImagesConfig config = ImagesConfig.fromSystemProperties();
        List<ServiceImage> services = config.services().stream().map(ServiceImage::named).toList();
        // every service's jars, whichever images are built: the base is then the same for all of them
        Map<String, ServiceJar> jars = new LinkedHashMap<>();
        for (ServiceImage service : ServiceImage.ALL) {
            jars.put(service.module(), ServiceJar.of(config.root(), service.module()));
        }

        // the layer cache only pays within a run (the base's layers, shared by the images); across runs it
        // would only grow, as the base's files are made anew each time
        Directories.deleteRecursively(config.workDir().resolve(ImageBuilder.LAYER_CACHE));
        ImageBase base = config.baseImage().isPresent()
                ? new ImageBase.Registry(config.baseImage().get())
                : new ImageBase.Assembled(BaseRootFileSystem.assemble(config.workDir(),
                        Path.of(System.getProperty("java.home")), allJars(jars.values())));
        ImageBuilder builder = new ImageBuilder(config, base, GitRevision.of(config.root()),
                HealthProbeJar.write(config.workDir()));
        for (ServiceImage service : services) {
            builder.build(service, jars.get(service.module()));
        }
        LOG.info("{} images in {} s", services.size(), (System.nanoTime() - start) / 1_000_000_000);
    }

    /** Each artifact once: the services' target/lib directories hold copies of the same jars. */
    private static Collection<Path> allJars(Collection<ServiceJar> jars) {
        Map<Path, Path> byName = new TreeMap<>();
        for (ServiceJar jar : jars) {
            byName.put(jar.jar().getFileName(), jar.jar());
            jar.classPath().forEach(dependency -> byName.put(dependency.getFileName(), dependency));
        }
        return byName.values();
    }
}
