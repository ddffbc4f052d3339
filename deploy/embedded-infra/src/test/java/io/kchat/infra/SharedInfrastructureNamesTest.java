package io.kchat.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void bucketNamesFollowS3Rules() {
        String bucket = SharedInfrastructure.bucketName("Media Upload: avatar_1.PNG", 7);

        assertEquals("t-media-upload--avatar-1-png-7", bucket);
    }

    @Test
    void longBucketNamesStayWithin63Characters() {
        String bucket = SharedInfrastructure.bucketName("Y".repeat(500), Integer.MAX_VALUE);

        assertTrue(bucket.length() <= 63, bucket);
        assertTrue(bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"), bucket);
    }
}
