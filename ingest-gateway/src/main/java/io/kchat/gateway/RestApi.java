package io.kchat.gateway;

import io.helidon.webserver.http.HttpRouting;
import io.kchat.gateway.assistant.AssistantRoutes;
import io.kchat.gateway.auth.sessions.AuthRoutes;
import io.kchat.gateway.auth.sessions.BearerAuth;
import io.kchat.gateway.contacts.ContactRoutes;
import io.kchat.gateway.conversations.ConversationRoutes;
import io.kchat.gateway.docs.DocsRoutes;
import io.kchat.gateway.http.ProblemHandlers;
import io.kchat.gateway.keys.KeyRoutes;
import io.kchat.gateway.media.MediaRoutes;
import io.kchat.gateway.messages.MessageRoutes;
import io.kchat.gateway.otp.OtpRoutes;
import io.kchat.gateway.presence.PresenceRoutes;
import io.kchat.gateway.push.PushRoutes;
import io.kchat.gateway.search.SearchRoutes;
import io.kchat.gateway.users.UserRoutes;
import io.kchat.gateway.webclient.WebClientRoutes;

/**
 * The REST API (base /v1, docs/api.md), the JWK set, their documentation (/openapi, /docs) and the web client (/,
 * /app/) on one routing, with problem JSON for every error.
 * Main and the tests call this same seam.
 */
public final class RestApi {

    private RestApi() {
    }

    public static HttpRouting.Builder routing(HttpRouting.Builder routing, RestDependencies dependencies) {
        BearerAuth bearer = new BearerAuth(dependencies.sessions());
        ProblemHandlers.register(routing);
        return routing
                .register(new AuthRoutes(dependencies.accounts(), dependencies.logins(), dependencies.sessions(),
                        dependencies.passwordChange(), dependencies.signingKeys(), bearer))
                .register(new OtpRoutes(dependencies.otp(), dependencies.clientAddress()))
                .register(new UserRoutes(dependencies.users(), bearer))
                .register(new PresenceRoutes(dependencies.presence(), bearer))
                .register(new ConversationRoutes(dependencies.conversations(), dependencies.memberships(),
                        dependencies.settings(), bearer))
                .register(new MessageRoutes(dependencies.messages(), bearer))
                .register(new SearchRoutes(dependencies.search(), bearer))
                .register(new MediaRoutes(dependencies.media(), bearer))
                .register(new KeyRoutes(dependencies.keyDirectory(), bearer))
                .register(new ContactRoutes(dependencies.contacts(), dependencies.blocks(), bearer))
                .register(new PushRoutes(dependencies.push(), bearer))
                .register(new AssistantRoutes(dependencies.assistant(), bearer))
                .register(new DocsRoutes())
                .register(new WebClientRoutes());
    }
}
