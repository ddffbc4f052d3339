package io.kchat.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base the images are built on when no registry image can be pulled: a directory holding a jlinked JRE
 * at {@link #JAVA_HOME}, the build host's shared libraries that it and the services' native libraries need,
 * the C.UTF-8 locale and a minimal /etc. The same for all three images, so they share its layers.
 */
final class BaseRootFileSystem {

    static final String JAVA_HOME = "/opt/java";

    private static final Logger LOG = LoggerFactory.getLogger(BaseRootFileSystem.class);

    private BaseRootFileSystem() {
    }

    /**
     * Builds it under {@code workDir/rootfs} (replacing what is there) and returns that directory.
     *
     * @param serviceJars every jar of every service in the images: their bundled native libraries' needs count
     */
    static Path assemble(Path workDir, Path jdkHome, Collection<Path> serviceJars) throws IOException {
        Path root = workDir.resolve("rootfs");
        Path natives = workDir.resolve("bundled-natives");
        Directories.deleteRecursively(root);
        Directories.deleteRecursively(natives);
        Files.createDirectories(root);

        Path jre = root.resolve(JAVA_HOME.substring(1));
        Files.createDirectories(jre.getParent());
        new JreLinker(jdkHome).link(jre);

        List<Path> elfFiles = new ArrayList<>(JreLinker.elfFiles(jre));
        elfFiles.addAll(BundledNativeLibraries.extract(serviceJars, natives));
        SortedSet<Path> libraries = SharedLibraries.needed(elfFiles, List.of(jre.resolve("lib"), jre.resolve("lib/server")));
        SharedLibraries.copy(libraries, root);
        LOG.info("base: JRE {} with {} shared libraries of the build host {}", Runtime.version(), libraries.size(), libraries);

        OsFiles.write(root);
        List<Path> fromHost = new ArrayList<>(libraries);
        OsFiles.copyLocale(root).ifPresent(fromHost::add);
        DebianPackages.record(fromHost, root);
        Directories.deleteRecursively(natives);
        return root;
    }
}
