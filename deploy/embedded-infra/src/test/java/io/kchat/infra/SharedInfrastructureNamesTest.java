package io.kchat.infra;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Naming only: nothing here starts a server. */
class SharedInfrastructureNamesTest {

    @Test
    void uniquePrefixIsALegalTopicNameStartAndNeverRepeats() {
        String first = SharedInfrastructure.uniquePrefix("Delivery test: room #1");
        String second = SharedInfrastructure.uniquePrefix("Delivery test: room #1");

        assertTrue(first.matches("t-Delivery-test--room--1-\\d+-"), first);
        assertNotEquals(first, second);
    }

    @Test
    void longNamesAreTruncated() {
        String prefix = SharedInfrastructure.uniquePrefix("x".repeat(500));

        assertTrue(prefix.length() < 80, prefix);
    }
}
