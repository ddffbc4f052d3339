package io.kchat.gateway.contacts;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kchat.gateway.auth.sessions.AuthenticatedSession;
import io.kchat.gateway.auth.sessions.BearerAuth;
import io.kchat.gateway.http.JsonBodies;
import io.kchat.gateway.http.JsonResponses;
import io.kchat.gateway.http.Requests;
import io.kchat.gateway.relations.BlockStore;
import io.kchat.gateway.relations.ContactStore;
import java.util.List;

/** /v1/contacts and /v1/blocks: every call authenticated. */
public final class ContactRoutes implements HttpService {

    record SendRequest(String userId, String message) {
    }

    record RequestAnswer(ContactRequest request) {
    }

    record RequestList(List<ContactRequest> requests) {
    }

    record ContactAnswer(ContactStore.Contact contact) {
    }

    record ContactList(List<ContactStore.Contact> contacts) {
    }

    record BlockList(List<BlockStore.Blocked> blocks) {
    }

    private final ContactService contacts;
    private final BlockService blocks;
    private final BearerAuth bearer;

    public ContactRoutes(ContactService contacts, BlockService blocks, BearerAuth bearer) {
        this.contacts = contacts;
        this.blocks = blocks;
        this.bearer = bearer;
    }

    @Override
    public void routing(HttpRules rules) {
        // "/requests" before "/{userId}": routes match in registration order
        rules.post("/v1/contacts/requests", this::sendRequest)
                .get("/v1/contacts/requests", this::listRequests)
                .post("/v1/contacts/requests/{requestId}/accept", this::accept)
                .post("/v1/contacts/requests/{requestId}/decline", this::decline)
                .get("/v1/contacts", this::listContacts)
                .delete("/v1/contacts/{userId}", this::removeContact)
                .put("/v1/blocks/{userId}", this::block)
                .delete("/v1/blocks/{userId}", this::unblock)
                .get("/v1/blocks", this::listBlocks);
    }

    private void sendRequest(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        SendRequest body = JsonBodies.read(request, SendRequest.class);
        ContactService.Sent sent = contacts.request(session.userId(), body.userId(), body.message());
        JsonResponses.send(response, sent.created() ? 201 : 200, new RequestAnswer(sent.request()));
    }

    private void listRequests(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        boolean incoming = RequestInput.incoming(Requests.queryParam(request, "direction"));
        JsonResponses.ok(response, new RequestList(contacts.pendingRequests(session.userId(), incoming)));
    }

    private void accept(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        JsonResponses.ok(response, new ContactAnswer(
                contacts.accept(session.userId(), Requests.pathParam(request, "requestId"))));
    }

    private void decline(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        contacts.decline(session.userId(), Requests.pathParam(request, "requestId"));
        JsonResponses.noContent(response);
    }

    private void listContacts(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        JsonResponses.ok(response, new ContactList(contacts.contacts(session.userId())));
    }

    private void removeContact(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        contacts.remove(session.userId(), Requests.pathParam(request, "userId"));
        JsonResponses.noContent(response);
    }

    private void block(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        blocks.block(session.userId(), Requests.pathParam(request, "userId"));
        JsonResponses.noContent(response);
    }

    private void unblock(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        blocks.unblock(session.userId(), Requests.pathParam(request, "userId"));
        JsonResponses.noContent(response);
    }

    private void listBlocks(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        JsonResponses.ok(response, new BlockList(blocks.blocks(session.userId())));
    }
}
