package io.kchat.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs each image's own JRE, unpacked, through the image's own dynamic loader and libraries: no container
 * engine and no root needed. glibc's loader reports every library it initialises (LD_DEBUG=libs), so a
 * library the image lacks shows up as one taken from the build host, and fails the test.
 */
class ImageRuntimeIT {

    private static final Pattern CALLING_INIT = Pattern.compile("calling init: (\\S+)");
    /** Nothing listens there: the services fail on it, after having read their settings and loaded their code. */
    private static final String NOWHERE = "127.0.0.1:1";

    /** Each image unpacked once for both tests: about 150 to 300 MB each. */
    @TempDir
    static Path unpacked;
    private static final Map<String, Path> ROOTS = new ConcurrentHashMap<>();

    @TempDir
    Path tmp;

    static Stream<String> modules() {
        return ImageArchiveIT.modules();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void theImagesJreLoadsTheBundledNativeLibrariesWithOnlyTheImagesSharedLibraries(String module) throws Exception {
        Path root = unpack(module);
        Path classes = Path.of(NativeLibrariesCheck.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Run run = runInImage(root, module, classes + ":", NativeLibrariesCheck.class.getName(), Map.of(), null);

        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("loaded "), run.output());
        if (module.equals("streams-processor")) {
            assertTrue(run.output().matches("(?s).*loaded rocksdb,zstd,snappy,lz4.*"), run.output());
        } else {
            assertTrue(run.output().matches("(?s).*loaded zstd,snappy,lz4.*"), run.output());
        }
        List<Path> initialised = run.initialisedLibraries();
        assertTrue(initialised.stream().anyMatch(p -> p.startsWith(root) && p.getFileName().toString().equals("libc.so.6")),
                "the image's own libc was not used: " + initialised);
        List<Path> fromHost = initialised.stream().filter(p -> !p.startsWith(root) && !p.startsWith(tmp)).toList();
        assertEquals(List.of(), fromHost, "libraries the image lacks, taken from the build host");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void theEntrypointsMainClassStartsAndFailsOnTheMissingBrokerOrDatabase(String module) throws Exception {
        Path root = unpack(module);
        String mainClass = ImageArchiveIT.archive(module).entrypoint().getLast();
        Map<String, String> environment = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", NOWHERE,
                "DATABASE_URL", "jdbc:postgresql://" + NOWHERE + "/kchat",
                "DATABASE_USER", "kchat",
                "DATABASE_PASSWORD", "kchat",
                "CHAT_NODE_ID", "image-test",
                "CHAT_PORT", "0",
                "CHAT_STATE_DIR", tmp.resolve("state").toString(),
                // with a model, so that the assistant worker starts (without one it idles, touching nothing)
                "ASSISTANT_BASE_URL", "http://" + NOWHERE + "/v1",
                "ASSISTANT_MODEL", "image-test");
        // stopped once it tried: the processor would retry the broker for minutes
        Run run = runInImage(root, module, "", mainClass, environment, NOWHERE);

        assertFalse(run.output().matches("(?s).*(Could not find or load main class|NoClassDefFoundError|"
                + "ClassNotFoundException|UnsatisfiedLinkError).*"), run.output());
        assertTrue(run.output().contains(NOWHERE), "never reached the broker or the database:\n" + run.output());
    }

    private static synchronized Path unpack(String module) throws IOException {
        assumeTrue(ImageArchiveIT.assembledBase(), "a registry base has its own JRE, checked where it is pulled");
        Path root = ROOTS.get(module);
        if (root == null) {
            root = unpacked.resolve(module);
            ImageArchive.extract(ImageArchiveIT.tarball(module), root);
            ROOTS.put(module, root);
        }
        return root;
    }

    /**
     * The entrypoint's java and options, run as {@code <loader> --library-path <image libs> <java> ...}: the
     * loader takes the image's libraries first, and tells which it initialised.
     */
    private Run runInImage(Path root, String module, String classPathPrefix, String mainClass,
                           Map<String, String> environment, String stopOnOutput) throws Exception {
        List<String> entrypoint = ImageArchiveIT.archive(module).entrypoint();
        List<String> command = new ArrayList<>(List.of(loader(root).toString(), "--library-path", libraryPath(root),
                root.resolve(entrypoint.getFirst().substring(1)).toString()));
        command.addAll(entrypoint.subList(1, entrypoint.indexOf("-cp")));
        command.addAll(List.of("-Djava.io.tmpdir=" + Files.createDirectories(tmp.resolve("java-tmp")),
                "-cp", classPathPrefix + root.resolve("app/" + module + ".jar"), mainClass));
        Path ldDebug = tmp.resolve("ld-debug");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("output.txt").toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put("LD_DEBUG", "libs");
        builder.environment().put("LD_DEBUG_OUTPUT", ldDebug.toString());
        Path output = tmp.resolve("output.txt");
        Process process = builder.start();
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> !process.isAlive()
                    || stopOnOutput != null && Files.readString(output, StandardCharsets.UTF_8).contains(stopOnOutput));
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        int exitCode = process.exitValue();
        // only the JVM's own report: libraries may start host programs (RocksDB runs "sh -c ldd ..." to tell
        // musl from glibc; in the image there is no sh, and it goes on to look at /lib)
        Path jvmDebug = tmp.resolve("ld-debug." + process.pid());
        List<String> debug = Files.exists(jvmDebug) ? Files.readAllLines(jvmDebug, StandardCharsets.UTF_8) : List.of();
        return new Run(exitCode, Files.readString(output, StandardCharsets.UTF_8), debug);
    }

    private static Path loader(Path root) throws IOException {
        try (Stream<Path> files = Stream.concat(list(root.resolve("lib64")), list(root.resolve("lib")))) {
            return files.filter(f -> f.getFileName().toString().matches("ld-linux.*\\.so\\.\\d+")).findFirst()
                    .orElseThrow(() -> new AssertionError("no dynamic loader in the image"));
        }
    }

    private static String libraryPath(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve("lib"))) {
            return String.join(":", files.filter(Files::isDirectory).map(Path::toString).toList());
        }
    }

    private static Stream<Path> list(Path dir) throws IOException {
        return Files.isDirectory(dir) ? Files.list(dir) : Stream.empty();
    }

    private record Run(int exitCode, String output, List<String> loaderDebug) {
        List<Path> initialisedLibraries() {
            List<Path> libraries = new ArrayList<>();
            for (String line : loaderDebug) {
                Matcher matcher = CALLING_INIT.matcher(line);
                if (matcher.find()) {
                    libraries.add(Path.of(matcher.group(1)).normalize());
                }
            }
            return libraries;
        }
    }
}
