package io.kchat.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The checked-out repository whose deployment files are under test (set by the build as {@code kchat.root}). */
final class Repository {

    private static final Path ROOT = locate();

    private Repository() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    /** {@code file} relative to the root, for messages. */
    static Path relative(Path file) {
        return ROOT.relativize(file.toAbsolutePath().normalize());
    }

    static String read(String relative) {
        return read(path(relative));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Path locate() {
        Path root = Path.of(System.getProperty("kchat.root", "../..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("schemas"))) {
            throw new IllegalStateException("not the kchat repository root: " + root + " (set -Dkchat.root)");
        }
        return root;
    }
}
