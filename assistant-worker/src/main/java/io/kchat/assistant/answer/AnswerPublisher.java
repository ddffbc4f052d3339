package io.kchat.assistant.answer;

import io.kchat.assistant.intake.Cancellation;
import io.kchat.assistant.intake.Question;
import io.kchat.events.InboundCommand;
import io.kchat.events.SendMessage;
import io.kchat.observability.Correlation;
import io.kchat.schemas.AssistantUser;
import io.kchat.schemas.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts answers as the assistant's sends to chat.inbound (idempotent producer, acks=all) and waits for Kafka's ack.
 * The send's clientId is derived from the question alone ({@link AssistantUser#answerClientId}), so posting again, after
 * a failed write or by another instance after a crash, leaves one answer (D15): a write that fails is tried again
 * until it is acknowledged or the work is cancelled.
 */
public final class AnswerPublisher implements AnswerSink {

    private static final Logger log = LoggerFactory.getLogger(AnswerPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final Topic<String, InboundCommand> topic;
    private final Clock clock;
    private final Duration ackTimeout;
    private final Duration retryBackoff;

    public AnswerPublisher(Producer<byte[], byte[]> producer, Topic<String, InboundCommand> topic, Clock clock,
                           Duration ackTimeout, Duration retryBackoff) {
        this.producer = producer;
        this.topic = topic;
        this.clock = clock;
        this.ackTimeout = ackTimeout;
        this.retryBackoff = retryBackoff;
    }

    @Override
    public void post(Question question, String body, boolean failed, Cancellation cancellation)
            throws InterruptedException {
        SendMessage send = SendMessage.newBuilder()
                .setClientId(AssistantUser.answerClientId(question.seq()))
                .setSenderId(AssistantUser.ID)
                .setDeviceId(AssistantUser.DEVICE_ID)
                .setBody(body)
                .setCiphertext(null)
                .setReplyTo(question.seq())
                .setAttachments(List.of())
                .setFailed(failed)
                .build();
        while (!cancellation.cancelled()) {
            try {
                write(question, send);
                return;
            } catch (ExecutionException | TimeoutException | KafkaException e) {
                log.warn("answer to {}#{} not acknowledged ({}); writing it again in {}", question.conversationId(),
                        question.seq(), e.getCause() == null ? e : e.getCause(), retryBackoff);
                Thread.sleep(retryBackoff);
            }
        }
        throw new InterruptedException("cancelled before the answer was acknowledged");
    }

    private void write(Question question, SendMessage send)
            throws ExecutionException, TimeoutException, InterruptedException {
        InboundCommand command = new InboundCommand(UUID.randomUUID().toString(), clock.instant(), send);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic.name(),
                topic.keySerde().serializer().serialize(topic.name(), question.conversationId()),
                topic.valueSerde().serializer().serialize(topic.name(), command));
        Correlation.put(record.headers(), question.correlationId());
        Future<RecordMetadata> ack = producer.send(record);
        ack.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
