package io.kchat.gateway.search;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kchat.gateway.auth.sessions.AuthenticatedSession;
import io.kchat.gateway.auth.sessions.BearerAuth;
import io.kchat.gateway.http.JsonResponses;
import io.kchat.gateway.http.Requests;

/** GET /v1/search/messages: full-text search over the caller's conversations, authenticated. */
public final class SearchRoutes implements HttpService {

    private final SearchService search;
    private final BearerAuth bearer;

    public SearchRoutes(SearchService search, BearerAuth bearer) {
        this.search = search;
        this.bearer = bearer;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/search/messages", this::messages);
    }

    private void messages(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        SearchQuery query = SearchQuery.of(Requests.queryParam(request, "q"),
                Requests.queryParam(request, "conversationId"),
                Requests.intQueryParam(request, "limit", SearchQuery.DEFAULT_LIMIT),
                Requests.queryParam(request, "before"));
        JsonResponses.ok(response, search.search(session.userId(), query));
    }
}
