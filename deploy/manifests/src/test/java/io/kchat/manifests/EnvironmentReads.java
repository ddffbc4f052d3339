package io.kchat.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service's code reads from its environment, found in its sources by the shapes the config classes use:
 * <ul>
 *   <li>{@code env.get("NAME")}, {@code env.getOrDefault("NAME", ...)}, {@code env.containsKey("NAME")} on a map
 *       named {@code env} or {@code environment}, and {@code System.getenv("NAME")};
 *   <li>helpers taking the map first: {@code millis(env, "NAME", ...)}, {@code RateLimit.fromEnv(env, "NAME", ...)};
 *   <li>names a helper builds from its parameter: {@code RateLimit.fromEnv(Map<String, String> env, String name, ...)}
 *       reading {@code env.get(name + "_BURST")} makes every {@code RateLimit.fromEnv(env, "NAME", ...)} a read
 *       of {@code NAME_BURST} too;
 *   <li>in shell scripts, {@code $NAME} and {@code ${NAME...}} outside comment lines.
 * </ul>
 * Besides, every upper-case underscored string literal ({@code "FOO_BAR"}) is collected: a read in a shape not
 * listed above still shows up there.
 *
 * @param reads    variable to the files reading it
 * @param literals every upper-case underscored string literal, to the files containing it
 */
record EnvironmentReads(Map<String, Set<Path>> reads, Map<String, Set<Path>> literals) {

    private static final String NAME = "([A-Z][A-Z0-9_]*)";
    private static final String MAP = "(?:env|environment)";
    private static final Pattern DIRECT = Pattern.compile(
            "\\b" + MAP + "\\s*\\.\\s*(?:get|getOrDefault|containsKey)\\s*\\(\\s*\"" + NAME + "\"");
    private static final Pattern GETENV = Pattern.compile("\\bSystem\\s*\\.\\s*getenv\\s*\\(\\s*\"" + NAME + "\"");
    private static final Pattern HELPER = Pattern.compile("\\(\\s*" + MAP + "\\s*,\\s*\"" + NAME + "\"");
    /** {@code env.get(name + "_SUFFIX")}: group 1 the parameter, group 2 the suffix. */
    private static final Pattern SUFFIXED = Pattern.compile(
            "\\b" + MAP + "\\s*\\.\\s*(?:get|getOrDefault|containsKey)\\s*\\(\\s*([a-z]\\w*)\\s*\\+\\s*\"(_[A-Z0-9_]+)\"");
    private static final Pattern LITERAL = Pattern.compile("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\"");
    private static final Pattern SHELL = Pattern.compile("\\$\\{?" + NAME);

    /** A helper that reads {@code NAME + suffix} for the {@code NAME} its callers pass. */
    private record SuffixingHelper(String type, String method, String suffix) {
        Pattern calls() {
            return Pattern.compile("\\b" + type + "\\s*\\.\\s*" + method + "\\s*\\(\\s*" + MAP + "\\s*,\\s*\"" + NAME + "\"");
        }
    }

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
        Map<Path, String> code = new LinkedHashMap<>();
        javaSources.forEach((file, source) -> code.put(file, JavaSource.withoutComments(source)));
        Set<SuffixingHelper> helpers = new HashSet<>();
        code.forEach((file, text) -> {
            collect(DIRECT, text, file, reads);
            collect(GETENV, text, file, reads);
            collect(HELPER, text, file, reads);
            collect(LITERAL, text, file, literals);
            helpers.addAll(suffixingHelpers(file, text));
        });
        for (SuffixingHelper helper : helpers) {
            Pattern calls = helper.calls();
            code.forEach((file, text) -> {
                Matcher m = calls.matcher(text);
                while (m.find()) {
                    reads.computeIfAbsent(m.group(1) + helper.suffix(), k -> new TreeSet<>()).add(file);
                }
            });
        }
        scripts.forEach((file, script) -> collect(SHELL,
                script.lines().filter(line -> !line.strip().startsWith("#")).reduce("", (a, b) -> a + b + "\n"),
                file, reads));
        return new EnvironmentReads(Collections.unmodifiableMap(reads), Collections.unmodifiableMap(literals));
    }

    /** For each {@code env.get(param + "_SUFFIX")}, the method declaring {@code (Map<String, String> env, String param}. */
    private static Set<SuffixingHelper> suffixingHelpers(Path file, String code) {
        Set<SuffixingHelper> helpers = new HashSet<>();
        String type = file.getFileName().toString().replaceFirst("\\.java$", "");
        Matcher suffixed = SUFFIXED.matcher(code);
        while (suffixed.find()) {
            Pattern declaration = Pattern.compile("(\\w+)\\s*\\(\\s*Map\\s*<\\s*String\\s*,\\s*String\\s*>\\s*" + MAP
                    + "\\s*,\\s*String\\s+" + suffixed.group(1) + "\\b");
            Matcher method = declaration.matcher(code.substring(0, suffixed.start()));
            String name = null;
            while (method.find()) {
                name = method.group(1);
            }
            if (name == null) {
                throw new IllegalStateException(file + ": " + suffixed.group() + " outside a helper "
                        + "(Map<String, String> env, String " + suffixed.group(1) + ", ...): teach EnvironmentReads this shape");
            }
            helpers.add(new SuffixingHelper(type, name, suffixed.group(2)));
        }
        return helpers;
    }

    private static void collect(Pattern pattern, String code, Path file, Map<String, Set<Path>> into) {
        Matcher m = pattern.matcher(code);
        while (m.find()) {
            into.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(file);
        }
    }
}
