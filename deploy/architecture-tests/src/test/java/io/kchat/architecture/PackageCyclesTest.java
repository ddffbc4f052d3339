package io.kchat.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static io.kchat.architecture.Kchat.CLASSES;

import org.junit.jupiter.api.Test;

/**
 * Inside each module, packages depend on each other in one direction only. A slice is a top-level package of the
 * module with everything below it. The module's root package is no slice: it is the composition root (Main and the
 * wiring), used by no slice in the gateway; in the processor it also holds the configuration record and
 * {@code Origin}, which the slices read (moving them below the slices is issue 17's next step).
 */
class PackageCyclesTest {

    @Test
    void gatewayPackagesHaveNoCycles() {
        slices().matching("io.kchat.gateway.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void processorPackagesHaveNoCycles() {
        slices().matching("io.kchat.processor.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void deliveryServicePackagesHaveNoCycles() {
        slices().matching("io.kchat.delivery.(*)..").should().beFreeOfCycles().allowEmptyShould(true).check(CLASSES);
    }

    @Test
    void schemaAndObservabilityPackagesHaveNoCycles() {
        slices().matching("io.kchat.(schemas|events|observability).(*)..").should().beFreeOfCycles()
                .allowEmptyShould(true).check(CLASSES);
    }
}
