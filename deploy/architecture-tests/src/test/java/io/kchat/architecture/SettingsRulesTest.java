package io.kchat.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static io.kchat.architecture.Kchat.CLASSES;
import static io.kchat.architecture.Kchat.SETTINGS;

import org.junit.jupiter.api.Test;

/**
 * One configuration dialect: the environment is read in one place, by the settings reader, so that every service
 * applies the same rule for blanks, trimming, durations and errors, and every setting it reads is a declaration
 * docs/configuration.md is checked against (deploy/manifests).
 */
class SettingsRulesTest {

    @Test
    void onlyTheSettingsReaderReadsTheEnvironment() {
        noClasses().that().resideOutsideOfPackage(SETTINGS)
                .should().callMethod(System.class, "getenv")
                .orShould().callMethod(System.class, "getenv", String.class)
                .because("a setting read beside the reader escapes its rules and the configuration reference")
                .check(CLASSES);
    }

    @Test
    void theSettingsDependOnNothingOfOurs() {
        classes().that().resideInAPackage(SETTINGS)
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.kchat..").or(resideInAPackage(SETTINGS)))
                .because("every module reads its settings through it")
                .check(CLASSES);
    }
}
