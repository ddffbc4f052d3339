package io.kchat.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kchat.manifests.ConfigurationReference.Setting;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/configuration.md against what each service declares ({@link DeclaredSettings}): every declared setting is
 * documented with its default and how much a deployment must care, every documented one is declared (or read by a
 * script), and every former spelling still read is listed.
 */
class ConfigurationReferenceTest {

    private static final ConfigurationReference REFERENCE = ConfigurationReference.load();

    static Stream<Service> withSources() {
        return Stream.of(Service.values()).filter(s -> !s.sources().isEmpty());
    }

    private static Map<String, io.kchat.settings.Setting<?>> declared(Service service) {
        return DeclaredSettings.of(service).stream()
                .collect(Collectors.toMap(io.kchat.settings.Setting::name, Function.identity()));
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
    void everyDeclaredSettingIsDocumented(Service service) {
        Set<String> documented = REFERENCE.variables(service);
        List<String> undocumented = DeclaredSettings.of(service).stream().map(io.kchat.settings.Setting::name)
                .filter(name -> !documented.contains(name)).toList();
        assertEquals(List.of(), undocumented, service + " declares these, missing from the " + service
                + " rows of " + ConfigurationReference.FILE + " (a pending one moves to the reference tables)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withSources")
    void everyDocumentedSettingIsDeclaredOrReadByAScript(Service service) {
        Set<String> known = new TreeSet<>(declared(service).keySet());
        known.addAll(EnvironmentReads.of(service).scriptReads().keySet());
        List<String> unknown = REFERENCE.of(service).stream().map(Setting::variable)
                .filter(variable -> !known.contains(variable)).toList();
        assertEquals(List.of(), unknown, ConfigurationReference.FILE + " documents these for " + service
                + ", which neither declares them nor reads them in a script (renamed? removed?)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withSources")
    void theDocumentedDefaultAndNeedAreTheDeclaredOnes(Service service) {
        Map<String, io.kchat.settings.Setting<?>> declared = declared(service);
        List<String> different = new ArrayList<>();
        for (Setting row : REFERENCE.of(service)) {
            Optional.ofNullable(declared.get(row.variable())).ifPresent(setting -> {
                // the reference's cells lose their code backticks when read
                if (!row.defaultValue().equals(setting.defaultText().replace("`", ""))) {
                    different.add(row.variable() + ": documented default '" + row.defaultValue() + "', declared '"
                            + setting.defaultText() + "'");
                }
                if (!row.required().name().equalsIgnoreCase(setting.need().documented())) {
                    different.add(row.variable() + ": documented required '" + row.required() + "', declared '"
                            + setting.need().documented() + "'");
                }
            });
        }
        assertEquals(List.of(), different, service + " rows of " + ConfigurationReference.FILE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withSources")
    void everyFormerSpellingStillReadIsListed(Service service) {
        Set<String> declaredFormers = DeclaredSettings.of(service).stream()
                .flatMap(s -> s.former().map(f -> f.name() + " -> " + s.name()).stream())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> documentedFormers = REFERENCE.formers().stream().filter(f -> f.service() == service)
                .map(f -> f.former() + " -> " + f.variable()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declaredFormers, documentedFormers, "the rows headed " + ConfigurationReference.FORMER_HEADER
                + " for " + service + " in " + ConfigurationReference.FILE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withSources")
    void pendingVariablesAreNotDeclaredYet(Service service) {
        Set<String> declared = declared(service).keySet();
        List<String> readNow = REFERENCE.pendingVariables(service).stream().filter(declared::contains).toList();
        assertEquals(List.of(), readNow, service + " declares these now: move their rows from the pending table to "
                + "the reference tables of " + ConfigurationReference.FILE + ", with default and meaning");
    }

    /** The net under the declarations: a variable named in the code outside a declaration still appears as a literal. */
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
