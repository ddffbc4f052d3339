package io.kchat.assistant.answer;

import io.kchat.events.AssistantStream;

/** Where partial answers go: fire and forget, since they are ephemeral (D10). */
@FunctionalInterface
public interface StreamSink {

    void send(AssistantStream part, String correlationId);
}
