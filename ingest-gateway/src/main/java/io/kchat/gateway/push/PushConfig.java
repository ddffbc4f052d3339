package io.kchat.gateway.push;

import io.kchat.schemas.PushEndpoints;
import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import io.kchat.settings.SharedSettings;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What a device may register for push (issue 22, D15). The two flags have the names the delivery-service's push
 * sender reads, so one deployment setting lets both ends accept the same endpoints: the gateway refuses at
 * registration what the sender would refuse at every push.
 *
 * @param allowHttp              plain-http webpush endpoints (a local push service in tests)
 * @param allowPrivateEndpoints  endpoints in private, loopback or link-local ranges (a push service inside the network)
 * @param gatewayUrl             the push gateway behind {@code kind: "gateway"} subscriptions; empty: none are taken
 */
public record PushConfig(boolean allowHttp, boolean allowPrivateEndpoints, Optional<URI> gatewayUrl) {

    public static final Setting<Boolean> ALLOW_HTTP = SharedSettings.PUSH_ALLOW_HTTP;
    public static final Setting<Boolean> ALLOW_PRIVATE_ENDPOINTS = SharedSettings.PUSH_ALLOW_PRIVATE_ENDPOINTS;
    public static final Setting<String> GATEWAY_URL = SharedSettings.PUSH_GATEWAY_URL;

    public PushConfig {
        if (gatewayUrl == null) {
            throw new IllegalArgumentException("gatewayUrl must be present or empty, not null");
        }
    }

    public static PushConfig defaults() {
        return new PushConfig(false, false, Optional.empty());
    }

    public static PushConfig from(Settings settings) {
        return new PushConfig(settings.get(ALLOW_HTTP), settings.get(ALLOW_PRIVATE_ENDPOINTS),
                SharedSettings.pushGatewayUrl(settings));
    }

    public static List<Setting<?>> settings() {
        return List.of(ALLOW_HTTP, ALLOW_PRIVATE_ENDPOINTS, GATEWAY_URL);
    }

    /** The rule {@link PushEndpoints} applies to endpoints, with what the operator allows. */
    public PushEndpoints.Policy policy() {
        return new PushEndpoints.Policy(allowHttp, allowPrivateEndpoints);
    }

    public PushConfig withGatewayUrl(URI value) {
        return new PushConfig(allowHttp, allowPrivateEndpoints, Optional.of(value));
    }
}
