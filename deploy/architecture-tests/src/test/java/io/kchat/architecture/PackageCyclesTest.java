package io.kchat.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static io.kchat.architecture.Kchat.CLASSES;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inside each module, packages depend on each other in one direction only. A slice is a top-level package of the
 * module with everything below it. The module's root package is no slice: it is the composition root (Main, the
 * configuration and the wiring), which uses the slices and is used by none of them.
 */
class PackageCyclesTest {

    @ParameterizedTest
    @ValueSource(strings = {"io.kchat.gateway", "io.kchat.processor", "io.kchat.delivery", "io.kchat.assistant"})
    void theCompositionRootIsUsedByNoSlice(String root) {
        noClasses().that().resideInAPackage(root + ".*..")
                .should().dependOnClassesThat().resideInAPackage(root)
                .because("a slice that reads the root's wiring or settings could not be built or tested without it")
                .check(CLASSES);
    }

    @Test
    void assistantWorkerPackagesHaveNoCycles() {
        slices().matching("io.kchat.assistant.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void gatewayPackagesHaveNoCycles() {
        slices().matching("io.kchat.gateway.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    /**
     * Sign-in is big enough to have parts of its own (passwords, tokens, sessions): they too depend on each other in
     * one direction only.
     */
    @Test
    void gatewayAuthPackagesHaveNoCycles() {
        slices().matching("io.kchat.gateway.auth.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    /** The slices above leave out the auth root package: sign-in's settings, which its parts read. */
    @Test
    void theAuthRootUsesNoneOfItsParts() {
        noClasses().that().resideInAPackage("io.kchat.gateway.auth")
                .should().dependOnClassesThat().resideInAPackage("io.kchat.gateway.auth.*..")
                .because("its parts read its settings: a root that used a part would close a cycle")
                .check(CLASSES);
    }

    @Test
    void processorPackagesHaveNoCycles() {
        slices().matching("io.kchat.processor.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void deliveryServicePackagesHaveNoCycles() {
        slices().matching("io.kchat.delivery.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void deliveryPlumbingKnowsNoFeature() {
        noClasses().that().resideInAnyPackage(
                        "io.kchat.delivery.loop..", "io.kchat.delivery.db..", "io.kchat.delivery.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.kchat.delivery.routing..", "io.kchat.delivery.archive..", "io.kchat.delivery.presence..",
                        "io.kchat.delivery.typing..", "io.kchat.delivery.reaper..")
                .because("every feature runs on the consumer loop, the transactions and the meters; "
                        + "the features are wired together in the composition root")
                .check(CLASSES);
    }

    @Test
    void schemaAndObservabilityPackagesHaveNoCycles() {
        slices().matching("io.kchat.(schemas|events|observability).(*)..").should().beFreeOfCycles()
                .allowEmptyShould(true).check(CLASSES);
    }
}
