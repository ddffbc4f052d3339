package io.kchat.settings;

import java.net.URI;

/** The OpenAI-compatible API the assistant calls (D15): {@code baseUrl} up to /v1, and the model it names. */
public record AssistantModel(URI baseUrl, String model) {
}
