package io.kchat.gateway.messages;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kchat.gateway.auth.sessions.AuthenticatedSession;
import io.kchat.gateway.auth.sessions.BearerAuth;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.http.JsonBodies;
import io.kchat.gateway.http.JsonResponses;
import io.kchat.gateway.http.Requests;
import java.util.List;

/** /v1/conversations/{id}/messages: history, one message and the HTTP send path, every call authenticated. */
public final class MessageRoutes implements HttpService {

    /** {@code ciphertext} instead of {@code body} in an end-to-end encrypted conversation (read by the service). */
    record SendRequest(String id, String body, JsonNode ciphertext, Long replyTo, JsonNode attachments) {
    }

    record Accepted(String id) {
    }

    record MessageList(List<MessageView> messages) {
    }

    private final MessageService messages;
    private final BearerAuth bearer;

    public MessageRoutes(MessageService messages, BearerAuth bearer) {
        this.messages = messages;
        this.bearer = bearer;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/conversations/{conversationId}/messages", this::history)
                .post("/v1/conversations/{conversationId}/messages", this::send)
                .get("/v1/conversations/{conversationId}/messages/{seq}", this::message);
    }

    private void history(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        HistoryQuery query = new HistoryQuery(Requests.nonNegativeLongQueryParam(request, "before"),
                Requests.nonNegativeLongQueryParam(request, "after"),
                Requests.intQueryParam(request, "limit", HistoryQuery.DEFAULT_LIMIT));
        JsonResponses.ok(response, new MessageList(
                messages.history(session.userId(), session.deviceId(), Requests.pathParam(request, "conversationId"),
                        query)));
    }

    private void message(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        JsonResponses.ok(response, messages.message(session.userId(), session.deviceId(),
                Requests.pathParam(request, "conversationId"), seq(Requests.pathParam(request, "seq"))));
    }

    /** A seq is a positive integer: anything else is no message's (as for an unknown seq, 404). */
    private static long seq(String raw) {
        try {
            long seq = Long.parseLong(raw);
            if (seq > 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // answered below, like a seq no message has
        }
        throw Refusal.notFound("message not found");
    }

    /** 202: durably logged, the outcome follows on the sender's sockets. */
    private void send(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        SendRequest body = JsonBodies.read(request, SendRequest.class);
        messages.send(session.userId(), session.deviceId(), Requests.pathParam(request, "conversationId"),
                body.id(), body.body(), body.ciphertext(), body.replyTo(),
                AttachmentRequests.parse(body.attachments()));
        JsonResponses.send(response, 202, new Accepted(body.id()));
    }
}
