package io.kchat.processor.errors;

import java.util.Objects;

/** Where an input record sits: what identifies it across attempts to process it. */
public record RecordPosition(String topic, int partition, long offset) {

    public RecordPosition {
        Objects.requireNonNull(topic, "topic");
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
