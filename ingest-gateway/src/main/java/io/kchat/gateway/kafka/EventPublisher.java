package io.kchat.gateway.kafka;

import io.kchat.observability.Correlation;
import io.kchat.schemas.Topic;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes to one catalogue topic through the gateway's shared producer (acks=all, idempotent).
 * The future completes only once the broker acknowledged the write: callers answer clients from it
 * ("ack after durable").
 *
 * <p>Every record carries the correlation id of the work the calling thread does (the client frame or HTTP request
 * being handled), or a fresh one, in its {@value Correlation#HEADER} header: the services after the gateway keep
 * it on what they derive from the record.
 */
public final class EventPublisher<K, V> {

    private final Producer<byte[], byte[]> producer;
    private final Topic<K, V> topic;

    public EventPublisher(Producer<byte[], byte[]> producer, Topic<K, V> topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public CompletableFuture<RecordMetadata> publish(K key, V value) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
        byte[] valueBytes = serializeValue(value);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic.name(), keyBytes, valueBytes);
        Correlation.put(record.headers(), Correlation.currentOrNew());
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            // send() itself throws for a closed producer or a record over max.request.size
            result.completeExceptionally(e);
        }
        return result;
    }

    /**
     * Publishes and blocks (a virtual thread) until the broker acknowledged the write.
     *
     * @throws PublishFailedException when the write failed or was not acknowledged within {@code timeout}; an
     *                                interrupt keeps the thread's interrupt flag
     */
    public RecordMetadata publishAndAwait(K key, V value, Duration timeout) throws PublishFailedException {
        try {
            return publish(key, value).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new PublishFailedException("write to " + topic.name() + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new PublishFailedException("write to " + topic.name() + " not acknowledged within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while writing to " + topic.name(), e);
        }
    }

    /**
     * The bytes {@link #publish} would write as the record's value: what an outbox row keeps, so the relay that
     * copies it to Kafka later writes exactly the record a direct publish would have.
     */
    public byte[] serializeValue(V value) {
        return topic.valueSerde().serializer().serialize(topic.name(), value);
    }

    public Topic<K, V> topic() {
        return topic;
    }
}
