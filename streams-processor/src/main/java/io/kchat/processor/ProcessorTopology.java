package io.kchat.processor;

import io.kchat.processor.conversation.ConversationMetrics;
import io.kchat.processor.conversation.ConversationTopology;
import io.kchat.processor.streams.IdleTicks;
import io.kchat.processor.user.NodeEgress;
import io.kchat.processor.user.UserLogTopology;
import io.kchat.processor.user.UserMetrics;
import io.kchat.schemas.TopicCatalogue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/** Both sides of the processor in one application: conversation side feeds the user side through chat.user-inbound. */
public final class ProcessorTopology {

    private ProcessorTopology() {
    }

    /** Every node has its egress topic, and no idle partition gets a tick: for tests. */
    public static Topology build(ProcessorConfig config) {
        return build(config, node -> true, IdleTicks.NONE, IdleTicks.NONE, ConversationMetrics.NONE, UserMetrics.NONE);
    }

    /**
     * @param inboundTicks     ticks to a chat.inbound partition whose time stood still while receipts waited in it
     * @param userInboundTicks ticks to a chat.user-inbound partition whose time stood still while frontiers waited
     */
    public static Topology build(ProcessorConfig config, NodeEgress egress, IdleTicks inboundTicks,
                                 IdleTicks userInboundTicks, ConversationMetrics conversationMetrics,
                                 UserMetrics userMetrics) {
        StreamsBuilder builder = new StreamsBuilder();
        TopicCatalogue topics = new TopicCatalogue(config.topicPrefix());
        ConversationTopology.build(builder, topics, config.dedupeWindow(), config.receiptInterval(), inboundTicks,
                conversationMetrics);
        UserLogTopology.build(builder, topics, config.maxEventsPerUser(), config.maxUserLogAge(), config.deliveredInterval(),
                config.pushGrace(), egress, userInboundTicks, userMetrics);
        return builder.build();
    }
}
