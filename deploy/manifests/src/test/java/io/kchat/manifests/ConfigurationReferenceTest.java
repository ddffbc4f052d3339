package io.kchat.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kchat.manifests.ConfigurationReference.Setting;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/configuration.md against the code: every variable read is documented, every documented one is read. */
class ConfigurationReferenceTest {

    private static final ConfigurationReference REFERENCE = ConfigurationReference.load();

    static Stream<Service> withSources() {
        return Stream.of(Service.values()).filter(s -> !s.sources().isEmpty());
    }

    @Test
    void rowsAreWellFormedAndUnique() {
        assertFalse(REFERENCE.settings().isEmpty(), "no table headed " + ConfigurationReference.HEADER);
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Setting setting : REFERENCE.settings()) {
            String key = setting.service() + " " + setting.variable();
            if (!seen.add(key)) {
                problems.add("documented twice: " + key);
            }
            if (!setting.variable().matches("[A-Z][A-Z0-9_]*")) {
                problems.add("not a variable name: '" + setting.variable() + "'");
            }
            if (setting.defaultValue().isBlank() || setting.meaning().isBlank()) {
                problems.add(key + ": default and meaning must be filled in ('—' for none)");
            }
        }
        for (ConfigurationReference.Pending pending : REFERENCE.pending()) {
            if (REFERENCE.variables(pending.service()).contains(pending.variable())) {
                problems.add(pending.service() + " " + pending.variable() + " is both documented and pending");
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withSources")
    void everyVariableTheCodeReadsIsDocumented(Service service) {
        EnvironmentReads reads = EnvironmentReads.of(service);
        Set<String> documented = REFERENCE.variables(service);
        List<String> undocumented = reads.reads().entrySet().stream()
                .filter(read -> !documented.contains(read.getKey()))
                .map(read -> read.getKey() + " (read in " + read.getValue() + ")")
                .toList();
        assertEquals(List.of(), undocumented, service + " reads these, missing from the " + service
                + " rows of " + ConfigurationReference.FILE + " (a pending one moves to the reference tables)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withSources")
    void everyDocumentedVariableIsRead(Service service) {
        EnvironmentReads reads = EnvironmentReads.of(service);
        List<String> unread = REFERENCE.of(service).stream().map(Setting::variable)
                .filter(variable -> !reads.reads().containsKey(variable)).toList();
        assertEquals(List.of(), unread, ConfigurationReference.FILE + " documents these for " + service
                + ", whose code does not read them (renamed? removed? a read in a shape EnvironmentReads misses?)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withSources")
    void pendingVariablesAreNotReadYet(Service service) {
        EnvironmentReads reads = EnvironmentReads.of(service);
        List<String> readNow = REFERENCE.pendingVariables(service).stream().filter(reads.reads()::containsKey).toList();
        assertEquals(List.of(), readNow, service + " reads these now: move their rows from the pending table to "
                + "the reference tables of " + ConfigurationReference.FILE + ", with default and meaning");
    }

    /** The net under the read patterns: a variable read in an unforeseen way still appears as a literal. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("withSources")
    void everyVariableLikeLiteralIsADocumentedVariable(Service service) {
        EnvironmentReads reads = EnvironmentReads.of(service);
        List<String> unknown = reads.literals().entrySet().stream()
                .filter(literal -> !REFERENCE.documentedAnywhere(literal.getKey()))
                .map(literal -> literal.getKey() + " (in " + literal.getValue() + ")")
                .toList();
        assertEquals(List.of(), unknown, "upper-case underscored literals in " + service
                + " that are no documented variable: document them, or teach this test that they are not one");
    }
}
