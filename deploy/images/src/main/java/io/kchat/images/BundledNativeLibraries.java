package io.kchat.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The native libraries that dependencies carry inside their jars and unpack at run time (RocksDB, zstd,
 * snappy, lz4), for this build host's platform: ldd cannot see them in the JRE, yet RocksDB needs the C++
 * runtime, so they are extracted here to find what they link.
 */
final class BundledNativeLibraries {

    /** How the jars name this platform's directories or files ({@code linux64} is RocksDB's x86-64). */
    private static final Set<String> AMD64 = Set.of("amd64", "x86_64", "linux64");
    private static final Set<String> AARCH64 = Set.of("aarch64", "arm64");

    private BundledNativeLibraries() {
    }

    /** Extracts each jar's glibc Linux libraries for this platform under {@code into}, returning their paths. */
    static List<Path> extract(Collection<Path> jars, Path into) throws IOException {
        Set<String> platform = platformNames();
        List<Path> extracted = new ArrayList<>();
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                for (JarEntry entry : file.stream().filter(e -> isForPlatform(e.getName(), platform)).toList()) {
                    Path target = into.resolve(jar.getFileName().toString()).resolve(entry.getName()).normalize();
                    if (!target.startsWith(into)) {
                        throw new IOException("entry " + entry.getName() + " of " + jar + " escapes its directory");
                    }
                    Files.createDirectories(target.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                    extracted.add(target);
                }
            }
        }
        return extracted;
    }

    static boolean isForPlatform(String entryName, Set<String> platform) {
        String name = entryName.toLowerCase(Locale.ROOT);
        if (!name.endsWith(".so") || !name.contains("linux") || name.contains("musl") || name.contains("android")) {
            return false;
        }
        // whole words of the path, so that "x86" or "linux32" is not taken for "x86_64" or "linux64"
        for (String word : name.split("[/.-]")) {
            if (platform.contains(word)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> platformNames() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> AMD64;
            case "aarch64" -> AARCH64;
            default -> throw new IllegalStateException("no native library naming known for " + System.getProperty("os.arch"));
        };
    }
}
