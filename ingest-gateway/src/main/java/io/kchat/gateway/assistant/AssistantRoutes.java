package io.kchat.gateway.assistant;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kchat.gateway.auth.sessions.AuthenticatedSession;
import io.kchat.gateway.auth.sessions.BearerAuth;
import io.kchat.gateway.conversations.ConversationService;
import io.kchat.gateway.conversations.ConversationView;
import io.kchat.gateway.http.JsonBodies;
import io.kchat.gateway.http.JsonResponses;

/** /v1/assistant: every call authenticated. */
public final class AssistantRoutes implements HttpService {

    /** {@code title} absent: the default title. */
    record CreateRequest(String title) {
    }

    private final AssistantService assistant;
    private final BearerAuth bearer;

    public AssistantRoutes(AssistantService assistant, BearerAuth bearer) {
        this.assistant = assistant;
        this.bearer = bearer;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/assistant", this::availability)
                .post("/v1/assistant/conversations", this::create);
    }

    private void availability(ServerRequest request, ServerResponse response) {
        bearer.authenticate(request);
        JsonResponses.ok(response, assistant.availability());
    }

    private void create(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        CreateRequest body = JsonBodies.read(request, CreateRequest.class);
        ConversationService.Created created = assistant.createConversation(session.userId(), body.title());
        JsonResponses.send(response, 201, ConversationView.of(created.conversation()));
    }
}
