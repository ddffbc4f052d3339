package io.kchat.assistant.intake;

import java.time.Instant;
import org.apache.kafka.common.TopicPartition;

/**
 * A person's message in an assistant conversation, with where it was read: its record's offset holds the partition's
 * commits back until its answer is acknowledged.
 *
 * @param correlationId the record's correlation id, or a fresh one; carried on to what the answer writes
 */
public record Question(String conversationId, long seq, String senderId, String body, Instant ts,
                       TopicPartition partition, long offset, String correlationId) {
}
