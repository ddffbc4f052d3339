package io.kchat.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records which Debian packages the copied libraries come from, the way distroless images do: a
 * {@code /var/lib/dpkg/status.d/<package>} entry each, so that image scanners report their versions and
 * vulnerabilities, the packages' copyright files (glibc is LGPL, libstdc++ GPL with the runtime exception)
 * and the host's os-release. On a build host without dpkg the image works the same, only unlabelled.
 */
final class DebianPackages {

    private static final Logger LOG = LoggerFactory.getLogger(DebianPackages.class);

    private DebianPackages() {
    }

    /** @param hostFiles the files and directories copied from the host into {@code root} */
    static void record(Collection<Path> hostFiles, Path root) throws IOException {
        if (!dpkgAvailable()) {
            LOG.warn("no dpkg-query on this host: the image will not say which packages its libraries come from");
            return;
        }
        SortedSet<String> packages = new TreeSet<>();
        for (Path file : hostFiles) {
            owner(file).or(() -> owner(realPath(file))).ifPresentOrElse(packages::add,
                    () -> LOG.warn("{} belongs to no Debian package", file));
        }
        Path status = Files.createDirectories(root.resolve("var/lib/dpkg/status.d"));
        for (String pkg : packages) {
            String name = pkg.replaceFirst(":.*", "");
            Files.writeString(status.resolve(name), Commands.check(List.of("dpkg-query", "-s", pkg)));
            Path copyright = Path.of("/usr/share/doc", name, "copyright");
            if (Files.isRegularFile(copyright)) {
                Path target = Files.createDirectories(root.resolve("usr/share/doc").resolve(name)).resolve("copyright");
                Files.copy(copyright.toRealPath(), target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        for (Path osRelease : List.of(Path.of("/etc/os-release"), Path.of("/usr/lib/os-release"))) {
            if (Files.exists(osRelease)) {
                Files.copy(osRelease.toRealPath(), root.resolve("etc/os-release"), StandardCopyOption.REPLACE_EXISTING);
                break;
            }
        }
        LOG.info("host files from the Debian packages {}", packages);
    }

    private static boolean dpkgAvailable() {
        try {
            return Commands.run(List.of("dpkg-query", "--version")).succeeded();
        } catch (IOException e) {
            return false; // not a Debian-based host
        }
    }

    /** {@code dpkg-query -S} answers "libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6". */
    private static Optional<String> owner(Path file) {
        try {
            Commands.Result result = Commands.run(List.of("dpkg-query", "-S", file.toString()));
            if (!result.succeeded()) {
                return Optional.empty();
            }
            String first = result.output().lines().findFirst().orElse("");
            int separator = first.indexOf(": ");
            return separator > 0 ? Optional.of(first.substring(0, separator)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Debian's merged /usr: dpkg may know a library under /usr/lib while ldd names it under /lib. */
    private static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file;
        }
    }
}
