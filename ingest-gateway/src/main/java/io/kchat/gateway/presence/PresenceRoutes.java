package io.kchat.gateway.presence;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kchat.gateway.auth.sessions.AuthenticatedSession;
import io.kchat.gateway.auth.sessions.BearerAuth;
import io.kchat.gateway.http.JsonResponses;
import io.kchat.gateway.http.Requests;

/** /v1/users/{userId}/presence and /v1/stats/online, both authenticated. */
public final class PresenceRoutes implements HttpService {

    private final PresenceService presence;
    private final BearerAuth bearer;

    public PresenceRoutes(PresenceService presence, BearerAuth bearer) {
        this.presence = presence;
        this.bearer = bearer;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/users/{userId}/presence", this::presence)
                .get("/v1/stats/online", this::online);
    }

    private void presence(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        JsonResponses.ok(response, presence.of(session.userId(), Requests.pathParam(request, "userId")));
    }

    private void online(ServerRequest request, ServerResponse response) {
        bearer.authenticate(request);
        JsonResponses.ok(response, presence.online());
    }
}
