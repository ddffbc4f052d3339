package io.kchat.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service's sources mention of the environment. Its Java code reads settings only through their
 * declarations ({@link DeclaredSettings}); what is scanned here is the net under that: every upper-case
 * underscored string literal ({@code "FOO_BAR"}) in the Java sources, and in shell scripts, {@code $NAME} and
 * {@code ${NAME...}} outside comment lines, which are reads.
 *
 * @param scriptReads variables the scripts read, to the files reading them
 * @param literals    every upper-case underscored string literal of the Java sources, to the files containing it
 */
record EnvironmentReads(Map<String, Set<Path>> scriptReads, Map<String, Set<Path>> literals) {

    private static final Pattern LITERAL = Pattern.compile("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\"");
    private static final Pattern SHELL = Pattern.compile("\\$\\{?([A-Z][A-Z0-9_]*)");

    /** Scans the sources of {@code service}: its directories' Java files and its scripts. */
    static EnvironmentReads of(Service service) {
        Map<Path, String> java = new LinkedHashMap<>();
        Map<Path, String> scripts = new LinkedHashMap<>();
        for (String source : service.sources()) {
            Path path = Repository.path(source);
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    files.filter(f -> f.toString().endsWith(".java")).sorted()
                            .forEach(f -> java.put(Repository.relative(f), Repository.read(f)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if (Files.isRegularFile(path)) {
                scripts.put(Repository.relative(path), Repository.read(path));
            } else {
                throw new IllegalStateException("source of " + service + " missing: " + path);
            }
        }
        return scan(java, scripts);
    }

    static EnvironmentReads scan(Map<Path, String> javaSources, Map<Path, String> scripts) {
        Map<String, Set<Path>> reads = new TreeMap<>();
        Map<String, Set<Path>> literals = new TreeMap<>();
        javaSources.forEach((file, source) -> collect(LITERAL, JavaSource.withoutComments(source), file, literals));
        scripts.forEach((file, script) -> collect(SHELL,
                script.lines().filter(line -> !line.strip().startsWith("#")).reduce("", (a, b) -> a + b + "\n"),
                file, reads));
        return new EnvironmentReads(Collections.unmodifiableMap(reads), Collections.unmodifiableMap(literals));
    }

    private static void collect(Pattern pattern, String code, Path file, Map<String, Set<Path>> into) {
        Matcher m = pattern.matcher(code);
        while (m.find()) {
            into.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(file);
        }
    }
}
