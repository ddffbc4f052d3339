package io.kchat.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static io.kchat.architecture.Kchat.CLASSES;
import static io.kchat.architecture.Kchat.DELIVERY;
import static io.kchat.architecture.Kchat.EVENTS;
import static io.kchat.architecture.Kchat.GATEWAY;
import static io.kchat.architecture.Kchat.OBSERVABILITY;
import static io.kchat.architecture.Kchat.PROCESSOR;
import static io.kchat.architecture.Kchat.SCHEMAS;

import org.junit.jupiter.api.Test;

/**
 * The modules talk through Kafka topics and the database, never through each other's classes: the Maven
 * dependencies allow less than this today, and these rules keep it so when someone adds one.
 */
class ModuleBoundariesTest {

    @Test
    void theSchemasDependOnNothingOfOurs() {
        classes().that().resideInAnyPackage(SCHEMAS, EVENTS)
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.kchat..").or(resideInAnyPackage(SCHEMAS, EVENTS)))
                .because("every service and every analytics consumer depends on the schemas, so they can depend on no service")
                .check(CLASSES);
    }

    @Test
    void observabilityKnowsNoService() {
        noClasses().that().resideInAPackage(OBSERVABILITY)
                .should().dependOnClassesThat().resideInAnyPackage(GATEWAY, PROCESSOR, DELIVERY)
                .check(CLASSES);
    }

    @Test
    void theGatewayUsesNoOtherService() {
        noClasses().that().resideInAPackage(GATEWAY)
                .should().dependOnClassesThat().resideInAnyPackage(PROCESSOR, DELIVERY)
                .because("the gateway reaches the others through Kafka topics only (docs/architecture.md)")
                .check(CLASSES);
    }

    @Test
    void theProcessorUsesNoOtherService() {
        noClasses().that().resideInAPackage(PROCESSOR)
                .should().dependOnClassesThat().resideInAnyPackage(GATEWAY, DELIVERY)
                .because("the processor reaches the others through Kafka topics only (docs/architecture.md)")
                .check(CLASSES);
    }

    @Test
    void theDeliveryServiceUsesNoOtherService() {
        noClasses().that().resideInAPackage(DELIVERY)
                .should().dependOnClassesThat().resideInAnyPackage(GATEWAY, PROCESSOR)
                .because("the delivery-service reaches the others through Kafka topics and the database only")
                .check(CLASSES);
    }
}
