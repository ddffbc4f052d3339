package io.kchat.images;

import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Makes the image's JRE with the build's own jlink: only the modules the services use. */
final class JreLinker {

    /**
     * {@code jdeps --print-module-deps} over the three services and their dependencies (java.desktop for
     * java.beans, used by PostgreSQL's driver, Debezium and Jersey; java.compiler by Debezium's config), plus
     * what only the service loader finds: zip file systems, the platform MXBeans, JFR for diagnosing a live
     * container, Kerberos logins for Kafka and PostgreSQL, and elliptic-curve TLS (a module of its own up to
     * JDK 21, an empty one after).
     */
    static final List<String> MODULES = List.of(
            "java.base", "java.compiler", "java.desktop", "java.management", "java.naming", "java.net.http",
            "java.security.jgss", "java.security.sasl", "java.sql", "jdk.unsupported",
            "jdk.zipfs", "jdk.management", "jdk.jfr", "jdk.security.auth", "jdk.crypto.ec");

    /** Gone from later JDKs: left out there rather than failing the link. */
    private static final Set<String> OPTIONAL_MODULES = Set.of("jdk.crypto.ec");

    /** java.desktop's native parts that need X11 or ALSA: a headless server never loads them. */
    private static final String EXCLUDED_FILES =
            "**/libawt_xawt.so,**/libjawt.so,**/libsplashscreen.so,**/libjsound.so";

    private final Path jdkHome;

    JreLinker(Path jdkHome) {
        this.jdkHome = jdkHome;
    }

    /** Writes the JRE to {@code target}, which must not exist yet. */
    void link(Path target) throws IOException {
        List<String> command = new ArrayList<>(List.of(jdkHome.resolve("bin/jlink").toString(),
                "--add-modules", String.join(",", presentModules()),
                "--strip-debug", "--no-man-pages", "--no-header-files",
                "--exclude-files=" + EXCLUDED_FILES,
                // class data sharing: a faster start, for the services and for every health probe
                "--generate-cds-archive",
                "--output", target.toString()));
        Commands.check(command);
        // the archive for heaps over 32 GB: far above what these services are given
        Files.deleteIfExists(target.resolve("lib/server/classes_nocoops.jsa"));
    }

    /** The jlinked modules are those of the JDK running this builder, the same one as jdkHome's. */
    private static List<String> presentModules() {
        ModuleFinder system = ModuleFinder.ofSystem();
        return MODULES.stream().filter(m -> !OPTIONAL_MODULES.contains(m) || system.find(m).isPresent()).toList();
    }

    /** The JRE's ELF files, whose shared libraries the image must carry: executables and .so files. */
    static List<Path> elfFiles(Path jre) throws IOException {
        try (Stream<Path> files = Files.walk(jre)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".so") || Files.isExecutable(p))
                    .sorted()
                    .toList();
        }
    }
}
