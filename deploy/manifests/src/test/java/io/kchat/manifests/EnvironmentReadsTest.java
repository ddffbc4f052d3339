package io.kchat.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scanner behind {@link ConfigurationReferenceTest}, on sources written for the purpose. */
class EnvironmentReadsTest {

    private static EnvironmentReads java(String... pathsAndSources) {
        Map<Path, String> sources = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndSources.length; i += 2) {
            sources.put(Path.of(pathsAndSources[i]), pathsAndSources[i + 1]);
        }
        return EnvironmentReads.scan(sources, Map.of());
    }

    @Test
    void findsTheReadShapesOfTheConfigClasses() {
        EnvironmentReads reads = java("Example.java", """
                class Example {
                    static Config fromEnv(Map<String, String> env) {
                        String a = env.get("DIRECT_GET");
                        String b = env.getOrDefault( "WITH_DEFAULT", "x");
                        boolean c = env.containsKey("CONTAINS");
                        String d = System.getenv("FROM_SYSTEM");
                        Duration e = millis(env, "HELPER_MS", Duration.ZERO);
                        String g = other.get("NOT_ENV");
                        String h = env.get("lower_case");
                    }
                }
                """);
        assertEquals(Set.of("DIRECT_GET", "WITH_DEFAULT", "CONTAINS", "FROM_SYSTEM", "HELPER_MS"), reads.reads().keySet());
        assertTrue(reads.literals().containsKey("NOT_ENV"), "every underscored literal is collected");
    }

    @Test
    void aHelperAppendingASuffixReadsItForEachNameItsCallersPass() {
        EnvironmentReads reads = java(
                "RateLimit.java", """
                        record RateLimit(double perSecond, int burst) {
                            static RateLimit fromEnv(Map<String, String> env, String name, RateLimit fallback) {
                                return new RateLimit(parse(env.get(name)), parse(env.get(name + "_BURST")));
                            }
                        }
                        """,
                "Config.java", """
                        RateLimit limit = RateLimit.fromEnv(env, "WS_RATE", d);
                        Duration other = millis(env, "TIMEOUT_MS", d);
                        """);
        assertEquals(Set.of("WS_RATE", "WS_RATE_BURST", "TIMEOUT_MS"), reads.reads().keySet(),
                "the suffix goes with the helper that appends it, not with every helper");
    }

    @Test
    void aSuffixOutsideAHelperIsAnUnknownShape() {
        assertThrows(IllegalStateException.class, () -> java("Odd.java", """
                String prefix = "X"; String v = env.get(prefix + "_SUFFIX");
                """));
    }

    @Test
    void ignoresCommentsButNotStrings() {
        EnvironmentReads reads = java("Example.java", """
                // env.get("IN_LINE_COMMENT")
                /* env.get("IN_BLOCK_COMMENT") */
                String url = "http://x"; String v = env.get("AFTER_URL"); // "//" in a string is no comment
                """);
        assertEquals(Set.of("AFTER_URL"), reads.reads().keySet());
    }

    @Test
    void readsShellVariablesOutsideComments() {
        EnvironmentReads reads = EnvironmentReads.scan(Map.of(), Map.of(Path.of("run"), """
                # Settings: $COMMENTED
                exec java ${JAVA_OPTS:--Xmx1g} -jar "$jar" "$MODE"
                """));
        assertEquals(Set.of("JAVA_OPTS", "MODE"), reads.reads().keySet());
    }
}
