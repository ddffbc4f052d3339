package io.kchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kchat.schemas.TopicCatalogue;
import java.util.List;
import org.junit.jupiter.api.Test;

class FloorLegsTest {

    @Test
    void todaysPathHasFourLegsAndIssue18sThreeWithTheCataloguesPartitions() {
        assertEquals(List.of(TopicCatalogue.CONVERSATION_PARTITIONS, TopicCatalogue.USER_PARTITIONS,
                TopicCatalogue.USER_PARTITIONS, TopicCatalogue.EGRESS_PARTITIONS), FloorLegs.of(4).partitions());
        assertEquals(List.of(TopicCatalogue.CONVERSATION_PARTITIONS, TopicCatalogue.USER_PARTITIONS,
                TopicCatalogue.EGRESS_PARTITIONS), FloorLegs.of(3).partitions());
        assertEquals("3 produce->consume legs (chat.inbound, chat.user-inbound, chat.egress.<node>), partitions "
                + "[" + TopicCatalogue.CONVERSATION_PARTITIONS + ", " + TopicCatalogue.USER_PARTITIONS + ", "
                + TopicCatalogue.EGRESS_PARTITIONS + "]", FloorLegs.THREE.toString());
        assertThrows(IllegalArgumentException.class, () -> FloorLegs.of(2));
    }
}
