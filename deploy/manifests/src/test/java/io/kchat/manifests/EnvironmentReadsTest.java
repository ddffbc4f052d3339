package io.kchat.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The net behind {@link ConfigurationReferenceTest}, on sources written for the purpose. */
class EnvironmentReadsTest {

    @Test
    void collectsUnderscoredLiteralsOutsideComments() {
        EnvironmentReads reads = EnvironmentReads.scan(Map.of(Path.of("Example.java"), """
                // "IN_LINE_COMMENT"
                /* "IN_BLOCK_COMMENT" */
                String url = "http://x"; String v = settings.get(Setting.text("AFTER_URL", "", "m")); // "//" in a string
                String lower = "lower_case"; String single = "SINGLE";
                """), Map.of());
        assertEquals(Set.of("AFTER_URL"), reads.literals().keySet());
    }

    @Test
    void readsShellVariablesOutsideComments() {
        EnvironmentReads reads = EnvironmentReads.scan(Map.of(), Map.of(Path.of("run"), """
                # Settings: $COMMENTED
                exec java ${JAVA_OPTS:--Xmx1g} -jar "$jar" "$MODE"
                """));
        assertEquals(Set.of("JAVA_OPTS", "MODE"), reads.scriptReads().keySet());
    }
}
