package io.kchat.gateway.users;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kchat.gateway.accounts.UserProfile;
import io.kchat.gateway.auth.sessions.AuthenticatedSession;
import io.kchat.gateway.auth.sessions.BearerAuth;
import io.kchat.gateway.avatars.AvatarChange;
import io.kchat.gateway.http.JsonBodies;
import io.kchat.gateway.http.JsonResponses;
import io.kchat.gateway.http.Requests;
import java.util.List;

/** /v1/users/*: every call authenticated. */
public final class UserRoutes implements HttpService {

    /** {@code avatarMediaId}: absent keeps the avatar, null removes it ({@link AvatarChange}). */
    record ProfileUpdate(String username, String displayName, String dmPolicy, AvatarChange avatarMediaId) {
    }

    record UserList(List<UserProfile> users) {
    }

    private final UserService users;
    private final BearerAuth bearer;

    public UserRoutes(UserService users, BearerAuth bearer) {
        this.users = users;
        this.bearer = bearer;
    }

    @Override
    public void routing(HttpRules rules) {
        // "/me" first: routes match in registration order and "{userId}" would take it too
        rules.get("/v1/users/me", this::me)
                .patch("/v1/users/me", this::updateMe)
                .get("/v1/users/{userId}", this::profile)
                .get("/v1/users", this::search);
    }

    private void me(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        JsonResponses.ok(response, users.me(session.userId()));
    }

    private void updateMe(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        ProfileUpdate body = JsonBodies.read(request, ProfileUpdate.class);
        JsonResponses.ok(response, users.update(session.userId(), body.username(), body.displayName(),
                body.dmPolicy(), body.avatarMediaId()));
    }

    private void profile(ServerRequest request, ServerResponse response) {
        bearer.authenticate(request);
        JsonResponses.ok(response, users.get(Requests.pathParam(request, "userId")));
    }

    private void search(ServerRequest request, ServerResponse response) {
        bearer.authenticate(request);
        int limit = Requests.intQueryParam(request, "limit", UserService.DEFAULT_SEARCH_LIMIT);
        JsonResponses.ok(response, new UserList(users.search(Requests.queryParam(request, "query"), limit)));
    }
}
