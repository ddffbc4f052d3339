package io.kchat.assistant.answer;

import io.kchat.events.AssistantStream;
import io.kchat.observability.Correlation;
import io.kchat.schemas.Topic;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes partial answers to chat.assistant-stream, keyed by conversation; a part that cannot be written is lost. */
public final class StreamPublisher implements StreamSink {

    private static final Logger log = LoggerFactory.getLogger(StreamPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final Topic<String, AssistantStream> topic;

    public StreamPublisher(Producer<byte[], byte[]> producer, Topic<String, AssistantStream> topic) {
        this.producer = producer;
        this.topic = topic;
    }

    @Override
    public void send(AssistantStream part, String correlationId) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic.name(),
                topic.keySerde().serializer().serialize(topic.name(), part.getConversationId()),
                topic.valueSerde().serializer().serialize(topic.name(), part));
        Correlation.put(record.headers(), correlationId);
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    log.debug("partial answer to {}#{} lost", part.getConversationId(), part.getReplyTo(), error);
                }
            });
        } catch (RuntimeException e) {
            // ephemeral (D10): the answer itself is what counts; an interrupt (a stop) stays set for the model call
            log.debug("partial answer to {}#{} not sent", part.getConversationId(), part.getReplyTo(), e);
        }
    }
}
