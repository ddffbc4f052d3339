package io.kchat.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static io.kchat.architecture.Kchat.CLASSES;

import com.tngtech.archunit.lang.syntax.elements.GivenClassesConjunction;
import org.junit.jupiter.api.Test;

/**
 * Where the frameworks may appear. The gateway's features (accounts, sign-in, users, conversations, messages,
 * message search, phone codes, presence, contacts and the relations between users, the key directory) are plain Java over JDBC: Helidon only at their HTTP edge (the routes, the bearer check,
 * the client address), Kafka clients only behind the publisher in {@code gateway.kafka}, the egress consumer and
 * the socket's command path. The processor's stream logic never sees the web server.
 */
class FrameworkBoundariesTest {

    private static final String[] GATEWAY_FEATURES = {
            "io.kchat.gateway.accounts..", "io.kchat.gateway.auth..", "io.kchat.gateway.users..",
            "io.kchat.gateway.conversations..", "io.kchat.gateway.messages..", "io.kchat.gateway.otp..",
            "io.kchat.gateway.presence..", "io.kchat.gateway.contacts..", "io.kchat.gateway.relations..",
            "io.kchat.gateway.keys..", "io.kchat.gateway.search.."};

    /** The features' own logic: everything in them but the routes, the bearer check and the client address. */
    private static GivenClassesConjunction noFeatureClassOutsideItsHttpEdge() {
        return noClasses().that().resideInAnyPackage(GATEWAY_FEATURES)
                .and().haveSimpleNameNotEndingWith("Routes")
                .and().doNotHaveSimpleName("BearerAuth")
                .and().doNotHaveSimpleName("ClientAddress");
    }

    @Test
    void gatewayFeaturesUseHelidonOnlyAtTheirHttpEdge() {
        noFeatureClassOutsideItsHttpEdge().should().dependOnClassesThat().resideInAPackage("io.helidon..")
                .because("a feature's rules are tested and reused without a web server")
                .check(CLASSES);
    }

    @Test
    void gatewayFeaturesUseNoKafkaClient() {
        noClasses().that().resideInAnyPackage(GATEWAY_FEATURES)
                .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..")
                .because("they publish through gateway.kafka.EventPublisher, which owns the producer's settings")
                .check(CLASSES);
    }

    @Test
    void gatewayFeaturesRefuseInTheirOwnTermsAndLeaveHttpToTheEdge() {
        noFeatureClassOutsideItsHttpEdge().should().dependOnClassesThat().resideInAPackage("io.kchat.gateway.http..")
                .because("a feature raises errors.Refusal; the REST edge maps it to problem JSON in one place")
                .check(CLASSES);
    }

    @Test
    void theHttpToolkitKnowsNoFeature() {
        noClasses().that().resideInAPackage("io.kchat.gateway.http..")
                .should().dependOnClassesThat().resideInAnyPackage(GATEWAY_FEATURES)
                .because("every feature uses the toolkit; the wiring of features lives in the composition root")
                .check(CLASSES);
    }

    @Test
    void theProcessorsStreamLogicIsFreeOfTheWebServer() {
        noClasses().that().resideInAnyPackage("io.kchat.processor.conversation..", "io.kchat.processor.user..")
                .should().dependOnClassesThat().resideInAnyPackage("io.helidon..", "java.sql..")
                .because("the topologies hold their state in Kafka Streams stores and run under TopologyTestDriver")
                .check(CLASSES);
    }
}
