package io.kchat.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The build host's shared libraries that ELF files need, found with {@code ldd}: the C library, the dynamic
 * loader and, for RocksDB, the C++ runtime. The image has no package manager, so these are its whole OS.
 */
final class SharedLibraries {

    /** {@code libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)} or {@code /lib64/ld-linux-x86-64.so.2 (0x...)}. */
    private static final Pattern RESOLVED = Pattern.compile("^\\s*(?:\\S+\\s+=>\\s+)?(/\\S+)\\s+\\(0x[0-9a-f]+\\)\\s*$");
    private static final Pattern NOT_FOUND = Pattern.compile("^\\s*(\\S+)\\s+=>\\s+not found\\s*$");

    private SharedLibraries() {
    }

    /**
     * The absolute paths, on this host, of every library the given files load at start, transitively (ldd
     * lists the whole closure). Libraries under {@code ownDirs} come with the files themselves and are left
     * out; they are also searched, as the JRE's libraries find each other through their run path.
     */
    static SortedSet<Path> needed(Collection<Path> elfFiles, List<Path> ownDirs) throws IOException {
        String libraryPath = String.join(":", ownDirs.stream().map(Path::toString).toList());
        SortedSet<Path> libraries = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        for (Path file : elfFiles) {
            Commands.Result result = Commands.run(List.of("ldd", file.toString()), Map.of("LD_LIBRARY_PATH", libraryPath));
            if (!result.succeeded()) {
                if (result.output().contains("not a dynamic executable")) {
                    continue; // statically linked: needs nothing
                }
                throw new IOException("ldd " + file + " failed:\n" + result.output());
            }
            for (String line : result.output().lines().toList()) {
                Matcher resolved = RESOLVED.matcher(line);
                Matcher notFound = NOT_FOUND.matcher(line);
                if (resolved.matches()) {
                    Path library = Path.of(resolved.group(1)).normalize();
                    if (ownDirs.stream().noneMatch(library::startsWith)) {
                        libraries.add(library);
                    }
                } else if (notFound.matches()) {
                    missing.add(file.getFileName() + " needs " + notFound.group(1));
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IOException("shared libraries missing on the build host: " + missing);
        }
        return libraries;
    }

    /** Copies each library's content (not its symbolic link) to the same path under {@code root}. */
    static void copy(Collection<Path> libraries, Path root) throws IOException {
        for (Path library : libraries) {
            Path target = root.resolve(library.toString().substring(1));
            Files.createDirectories(target.getParent());
            // with its mode: the dynamic loader must stay executable, the kernel runs it
            Files.copy(library.toRealPath(), target, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }
}
