package io.kchat.gateway.push;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kchat.gateway.auth.sessions.AuthenticatedSession;
import io.kchat.gateway.auth.sessions.BearerAuth;
import io.kchat.gateway.http.JsonBodies;
import io.kchat.gateway.http.JsonResponses;

/** Push notifications: the VAPID key to subscribe with, and the calling device's subscription. All authenticated. */
public final class PushRoutes implements HttpService {

    /** The VAPID application server key (RFC 8292): the raw P-256 point, base64url without padding. */
    public record VapidAnswer(String publicKey) {
    }

    private final PushSubscriptions subscriptions;
    private final BearerAuth bearer;

    public PushRoutes(PushSubscriptions subscriptions, BearerAuth bearer) {
        this.subscriptions = subscriptions;
        this.bearer = bearer;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/push/vapid", this::vapid)
                .put("/v1/devices/me/push", this::subscribe)
                .delete("/v1/devices/me/push", this::unsubscribe);
    }

    private void vapid(ServerRequest request, ServerResponse response) {
        bearer.authenticate(request);
        JsonResponses.ok(response, new VapidAnswer(subscriptions.vapidKey().publicKeyBase64Url()));
    }

    private void subscribe(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        subscriptions.subscribe(session.userId(), session.deviceId(),
                JsonBodies.read(request, SubscriptionRequest.class));
        JsonResponses.noContent(response);
    }

    private void unsubscribe(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        subscriptions.unsubscribe(session.userId(), session.deviceId());
        JsonResponses.noContent(response);
    }
}
