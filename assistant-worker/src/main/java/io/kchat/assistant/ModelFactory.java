package io.kchat.assistant;

import io.kchat.assistant.model.ChatModel;
import java.time.Clock;

/** Makes the model the worker calls, when the configuration has one; tests hand in a scripted one. */
@FunctionalInterface
public interface ModelFactory {

    ChatModel create(AssistantConfig config, Clock clock);
}
