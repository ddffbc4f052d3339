package io.kchat.gateway.keys;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kchat.gateway.auth.sessions.AuthenticatedSession;
import io.kchat.gateway.auth.sessions.BearerAuth;
import io.kchat.gateway.http.JsonBodies;
import io.kchat.gateway.http.JsonResponses;
import io.kchat.gateway.http.Requests;
import java.util.List;

/** /v1/keys and /v1/users/{userId}/keys: the key directory, every call authenticated. */
public final class KeyRoutes implements HttpService {

    record ClaimRequest(List<KeyDirectory.DeviceRef> devices) {
    }

    private final KeyDirectory directory;
    private final BearerAuth bearer;

    public KeyRoutes(KeyDirectory directory, BearerAuth bearer) {
        this.directory = directory;
        this.bearer = bearer;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.put("/v1/keys", this::upload)
                .get("/v1/keys/count", this::count)
                .post("/v1/keys/claim", this::claim)
                .get("/v1/users/{userId}/keys", this::keysOf);
    }

    private void upload(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        KeyUpload body = JsonBodies.read(request, KeyUpload.class);
        JsonResponses.ok(response, directory.upload(session.userId(), session.deviceId(), body));
    }

    private void count(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        JsonResponses.ok(response, directory.count(session.userId(), session.deviceId()));
    }

    private void claim(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        ClaimRequest body = JsonBodies.read(request, ClaimRequest.class);
        JsonResponses.ok(response, directory.claim(session.userId(), body.devices()));
    }

    private void keysOf(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        JsonResponses.ok(response, directory.keysOf(session.userId(), Requests.pathParam(request, "userId")));
    }
}
