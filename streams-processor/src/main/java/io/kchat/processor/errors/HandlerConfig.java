package io.kchat.processor.errors;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What the processor's exception handlers read from the Streams config they are configured with: the application's
 * {@link PoisonRecordPolicy} and the dead-letter topic. Either missing refuses the start: without the shared policy
 * each task would count on its own, and without the topic Kafka Streams' handlers skip records without a trace.
 */
record HandlerConfig(PoisonRecordPolicy policy, String deadLetterTopic) {

    static HandlerConfig from(Map<String, ?> configs) {
        if (!(configs.get(PoisonRecordPolicy.CONFIG) instanceof PoisonRecordPolicy policy)) {
            throw new ConfigException(PoisonRecordPolicy.CONFIG, configs.get(PoisonRecordPolicy.CONFIG),
                    "the processor's exception handlers need the application's PoisonRecordPolicy (StreamsSettings "
                            + "puts it there)");
        }
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new ConfigException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topic,
                    "the processor sets failed records aside there");
        }
        return new HandlerConfig(policy, topic.toString());
    }
}
