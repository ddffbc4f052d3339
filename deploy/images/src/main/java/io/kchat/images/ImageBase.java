package io.kchat.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;

/** What an image starts from: the base assembled here, or a registry's image with a JRE. */
sealed interface ImageBase {

    /** A Jib builder holding the base's layers and settings, to add a service to. */
    JibContainerBuilder start() throws IOException;

    /** The java launcher for the entrypoint. */
    String java();

    /** The labels that describe the base. */
    Map<String, String> labels();

    /** Whether building needs no network at all. */
    boolean offline();

    /**
     * {@link BaseRootFileSystem}'s directory as two layers, the OS part and the JRE, each changing on its own:
     * an OS library update leaves the JRE layer's digest alone, and the other way round.
     */
    record Assembled(Path rootfs) implements ImageBase {

        private static final FilePermissions WORLD_WRITABLE = FilePermissions.fromOctalString("777");

        @Override
        public JibContainerBuilder start() throws IOException {
            FileEntriesLayer.Builder os = FileEntriesLayer.builder().setName("os");
            try (Stream<Path> top = Files.list(rootfs)) {
                for (Path child : top.sorted().toList()) {
                    if (!child.getFileName().toString().equals("opt")) {
                        addRecursive(os, child);
                    }
                }
            }
            FileEntriesLayer.Builder jre = FileEntriesLayer.builder().setName("jre");
            addRecursive(jre, rootfs.resolve(BaseRootFileSystem.JAVA_HOME.substring(1)));
            return Jib.fromScratch()
                    .addFileEntriesLayer(os.build())
                    .addFileEntriesLayer(jre.build())
                    .setEnvironment(Map.of(
                            "JAVA_HOME", BaseRootFileSystem.JAVA_HOME,
                            "PATH", BaseRootFileSystem.JAVA_HOME + "/bin",
                            // glibc's built-in UTF-8 locale: file names and console output in UTF-8
                            "LANG", "C.UTF-8"));
        }

        /** Keeps each file's mode (executables stay executable); /tmp is for everyone, the home for the user. */
        private void addRecursive(FileEntriesLayer.Builder layer, Path source) throws IOException {
            layer.addEntryRecursive(source, AbsoluteUnixPath.get("/" + rootfs.relativize(source)),
                    (file, inImage) -> inImage.toString().equals("/tmp") ? WORLD_WRITABLE : modeOf(file),
                    FileEntriesLayer.DEFAULT_MODIFICATION_TIME_PROVIDER,
                    (file, inImage) -> inImage.toString().equals(OsFiles.HOME) ? OsFiles.OWNER : "");
        }

        private static FilePermissions modeOf(Path file) {
            try {
                return FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(file));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the mode of " + file, e);
            }
        }

        @Override
        public String java() {
            return BaseRootFileSystem.JAVA_HOME + "/bin/java";
        }

        @Override
        public Map<String, String> labels() {
            return Map.of("io.kchat.image.java.version", Runtime.version().toString());
        }

        @Override
        public boolean offline() {
            return true;
        }
    }

    /** An image to pull, e.g. {@code eclipse-temurin:25-jre}: its own OS and JRE, {@code java} on its PATH. */
    record Registry(String image) implements ImageBase {

        @Override
        public JibContainerBuilder start() throws IOException {
            try {
                return Jib.from(image);
            } catch (InvalidImageReferenceException e) {
                throw new IOException("not an image reference: " + image, e);
            }
        }

        @Override
        public String java() {
            return "java";
        }

        @Override
        public Map<String, String> labels() {
            return Map.of("org.opencontainers.image.base.name", image);
        }

        @Override
        public boolean offline() {
            return false;
        }
    }
}
