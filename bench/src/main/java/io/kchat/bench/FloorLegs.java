package io.kchat.bench;

import io.kchat.schemas.TopicCatalogue;
import java.util.Arrays;
import java.util.List;

/**
 * The produce→consume legs of the live path the floor mirrors. The stack's path has three (D18: the user side writes
 * to the node's egress itself); the path before it had four (D5: a router in the delivery-service copied each
 * delivery from chat.deliveries to the node's egress), kept to compare with older reports.
 *
 * @param partitions the partition count of each leg's topic, from the catalogue
 * @param topics     the stack's topics the legs stand for, for the report
 */
record FloorLegs(List<Integer> partitions, String topics) {

    static final FloorLegs FOUR = new FloorLegs(List.of(TopicCatalogue.CONVERSATION_PARTITIONS,
            TopicCatalogue.USER_PARTITIONS, TopicCatalogue.USER_PARTITIONS, TopicCatalogue.EGRESS_PARTITIONS),
            "chat.inbound, chat.user-inbound, chat.deliveries, chat.egress.<node>");
    static final FloorLegs THREE = new FloorLegs(List.of(TopicCatalogue.CONVERSATION_PARTITIONS,
            TopicCatalogue.USER_PARTITIONS, TopicCatalogue.EGRESS_PARTITIONS),
            "chat.inbound, chat.user-inbound, chat.egress.<node>");

    FloorLegs {
        partitions = List.copyOf(partitions);
        if (partitions.size() < 2) {
            throw new IllegalArgumentException("the floor needs a leg before the fan-out and one after it");
        }
    }

    /** {@code --floor-legs}: 3 (the default, the stack's path) or 4 (the path before D18). */
    static FloorLegs of(int count) {
        return switch (count) {
            case 4 -> FOUR;
            case 3 -> THREE;
            default -> throw new IllegalArgumentException("--floor-legs takes 3 or 4, not " + count);
        };
    }

    int count() {
        return partitions.size();
    }

    int partitions(int leg) {
        return partitions.get(leg);
    }

    @Override
    public String toString() {
        return count() + " produce->consume legs (" + topics + "), partitions "
                + Arrays.toString(partitions.stream().mapToInt(Integer::intValue).toArray());
    }
}
