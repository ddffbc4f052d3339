package io.kchat.manifests;

import io.kchat.assistant.AssistantConfig;
import io.kchat.delivery.DeliveryConfig;
import io.kchat.gateway.GatewayConfig;
import io.kchat.local.LocalConfig;
import io.kchat.processor.ProcessorConfig;
import io.kchat.settings.Setting;
import java.util.List;

/** What each service declares it reads: the truth docs/configuration.md is checked against. */
final class DeclaredSettings {

    private DeclaredSettings() {
    }

    static List<Setting<?>> of(Service service) {
        return switch (service) {
            case GATEWAY -> GatewayConfig.settings();
            case PROCESSOR -> ProcessorConfig.settings();
            case DELIVERY -> DeliveryConfig.settings();
            case ASSISTANT -> AssistantConfig.SETTINGS;
            case CHAT_LOCAL -> LocalConfig.settings();
            case JVM -> List.of();
        };
    }
}
