package io.kchat.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** The few files of an OS that a JVM reads besides its libraries: users, name lookup order, a /tmp. */
final class OsFiles {

    /** The user the services run as: not root, and no login. 65532 is distroless' "nonroot". */
    static final int UID = 65532;
    static final String USER = "kchat";
    static final String HOME = "/home/" + USER;
    static final String OWNER = UID + ":" + UID;

    /** glibc's C.UTF-8 locale, which it does not build in: UTF-8 file names and console output for Java. */
    static final Path C_UTF8_LOCALE = Path.of("/usr/lib/locale/C.utf8");

    private OsFiles() {
    }

    static void write(Path root) throws IOException {
        Path etc = Files.createDirectories(root.resolve("etc"));
        // Java takes user.name and user.home from here; without an entry they become "?"
        Files.writeString(etc.resolve("passwd"), """
                root:x:0:0:root:/root:/sbin/nologin
                %s:x:%d:%d:%s:%s:/sbin/nologin
                """.formatted(USER, UID, UID, USER, HOME));
        Files.writeString(etc.resolve("group"), """
                root:x:0:
                %s:x:%d:
                """.formatted(USER, UID));
        // glibc's default without this file asks DNS before /etc/hosts
        Files.writeString(etc.resolve("nsswitch.conf"), """
                passwd: files
                group: files
                hosts: files dns
                """);
        // RocksDB, snappy and zstd unpack their native libraries into java.io.tmpdir
        Files.createDirectories(root.resolve("tmp"));
        Files.createDirectories(root.resolve(HOME.substring(1)));
    }

    /** Copies the host's C.UTF-8 locale when it has one (Debian's libc-bin does), returning its host path. */
    static Optional<Path> copyLocale(Path root) throws IOException {
        if (!Files.isDirectory(C_UTF8_LOCALE)) {
            return Optional.empty();
        }
        Path target = root.resolve(C_UTF8_LOCALE.toString().substring(1));
        try (Stream<Path> files = Files.walk(C_UTF8_LOCALE)) {
            for (Path file : files.sorted().toList()) {
                Path copy = target.resolve(C_UTF8_LOCALE.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file.toRealPath(), copy);
                }
            }
        }
        return Optional.of(C_UTF8_LOCALE);
    }
}
