package io.kchat.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static io.kchat.architecture.Kchat.CLASSES;
import static io.kchat.architecture.Kchat.ASSISTANT;
import static io.kchat.architecture.Kchat.DELIVERY;
import static io.kchat.architecture.Kchat.EVENTS;
import static io.kchat.architecture.Kchat.GATEWAY;
import static io.kchat.architecture.Kchat.OBSERVABILITY;
import static io.kchat.architecture.Kchat.PROCESSOR;
import static io.kchat.architecture.Kchat.SCHEMAS;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
                .should().dependOnClassesThat().resideInAnyPackage(GATEWAY, PROCESSOR, DELIVERY, ASSISTANT)
                .check(CLASSES);
    }

    static Stream<Arguments> services() {
        return Stream.of(
                Arguments.of(GATEWAY, new String[] {PROCESSOR, DELIVERY, ASSISTANT}),
                Arguments.of(PROCESSOR, new String[] {GATEWAY, DELIVERY, ASSISTANT}),
                Arguments.of(DELIVERY, new String[] {GATEWAY, PROCESSOR, ASSISTANT}),
                Arguments.of(ASSISTANT, new String[] {GATEWAY, PROCESSOR, DELIVERY}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void aServiceUsesNoOtherService(String service, String[] others) {
        noClasses().that().resideInAPackage(service)
                .should().dependOnClassesThat().resideInAnyPackage(others)
                .because("the services meet on Kafka topics and PostgreSQL tables only (docs/architecture.md)")
                .check(CLASSES);
    }
}
