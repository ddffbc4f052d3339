package io.kchat.gateway.conversations;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kchat.gateway.auth.sessions.AuthenticatedSession;
import io.kchat.gateway.auth.sessions.BearerAuth;
import io.kchat.gateway.avatars.AvatarChange;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.http.JsonBodies;
import io.kchat.gateway.http.JsonResponses;
import io.kchat.gateway.http.Requests;
import java.util.List;

import static io.kchat.gateway.http.Requests.required;

/** /v1/conversations: every call authenticated. */
public final class ConversationRoutes implements HttpService {

    private static final int MAX_ID_LENGTH = 64;

    /** Both shapes of a creation: {type:"direct", userId} and {type:"group", title, memberIds}. */
    /** {@code encrypted}: end-to-end encrypted, fixed for the conversation's life; absent means plain. */
    record CreateRequest(String type, String userId, String title, List<String> memberIds, Boolean encrypted) {
    }

    record ConversationList(List<ConversationView> conversations) {
    }

    record ReceiptList(List<ReceiptPosition> receipts) {
    }

    /** Either or both; {@code avatarMediaId} null removes the avatar, absent keeps it ({@link AvatarChange}). */
    record UpdateRequest(String title, AvatarChange avatarMediaId) {
    }

    record AddMemberRequest(String userId) {
    }

    /**
     * A partial change of the caller's own settings: a field left out keeps its value ({@link SettingsChange});
     * {@code mutedUntil} is an ISO-8601 instant, read here so that a malformed one is refused by name.
     */
    record SettingsRequest(Boolean muted, String mutedUntil, Boolean pinned, Boolean archived) {
    }

    private final ConversationService conversations;
    private final MembershipService memberships;
    private final SettingsService settings;
    private final BearerAuth bearer;

    public ConversationRoutes(ConversationService conversations, MembershipService memberships,
                              SettingsService settings, BearerAuth bearer) {
        this.conversations = conversations;
        this.memberships = memberships;
        this.settings = settings;
        this.bearer = bearer;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/conversations", this::create)
                .get("/v1/conversations", this::list)
                .get("/v1/conversations/{conversationId}", this::get)
                .get("/v1/conversations/{conversationId}/receipts", this::receipts)
                .get("/v1/conversations/{conversationId}/settings", this::settings)
                .put("/v1/conversations/{conversationId}/settings", this::changeSettings)
                .patch("/v1/conversations/{conversationId}", this::update)
                .post("/v1/conversations/{conversationId}/members", this::addMember)
                .delete("/v1/conversations/{conversationId}/members/{userId}", this::removeMember);
    }

    private void create(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        CreateRequest body = JsonBodies.read(request, CreateRequest.class);
        // an assistant conversation has a route of its own, which knows whether the deployment offers one
        ConversationKind kind = ConversationKind.fromWire(required(body.type(), "type"))
                .filter(k -> k != ConversationKind.ASSISTANT)
                .orElseThrow(() -> Refusal.invalid("invalid type", "type must be \"direct\" or \"group\" "
                        + "(an assistant conversation: POST /v1/assistant/conversations)"));
        ConversationService.Created created = switch (kind) {
            case DIRECT -> conversations.createDirect(session.userId(), requireId(body.userId(), "userId"),
                    Boolean.TRUE.equals(body.encrypted()));
            case GROUP -> conversations.createGroup(session.userId(), body.title(), memberIds(body.memberIds()),
                    Boolean.TRUE.equals(body.encrypted()));
            case ASSISTANT -> throw new IllegalStateException("filtered out above");
        };
        JsonResponses.send(response, created.created() ? 201 : 200, ConversationView.of(created.conversation()));
    }

    private void list(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        JsonResponses.ok(response, new ConversationList(conversations.list(session.userId(), session.deviceId())
                .stream().map(ConversationView::of).toList()));
    }

    private void get(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        String conversationId = Requests.pathParam(request, "conversationId");
        JsonResponses.ok(response,
                ConversationView.of(conversations.get(session.userId(), session.deviceId(), conversationId)));
    }

    private void receipts(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        String conversationId = Requests.pathParam(request, "conversationId");
        JsonResponses.ok(response, new ReceiptList(conversations.receipts(session.userId(), conversationId)));
    }

    private void settings(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        JsonResponses.ok(response, settings.get(session.userId(), Requests.pathParam(request, "conversationId")));
    }

    private void changeSettings(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        SettingsRequest body = JsonBodies.read(request, SettingsRequest.class);
        JsonResponses.ok(response, settings.change(session.userId(), Requests.pathParam(request, "conversationId"),
                body.muted(), body.mutedUntil(), body.pinned(), body.archived()));
    }

    private void update(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        UpdateRequest body = JsonBodies.read(request, UpdateRequest.class);
        String conversationId = Requests.pathParam(request, "conversationId");
        JsonResponses.ok(response, ConversationView.of(memberships.update(session.userId(), session.deviceId(),
                conversationId, body.title(), body.avatarMediaId())));
    }

    private void addMember(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        AddMemberRequest body = JsonBodies.read(request, AddMemberRequest.class);
        memberships.addMember(session.userId(), Requests.pathParam(request, "conversationId"),
                requireId(body.userId(), "userId"));
        JsonResponses.noContent(response);
    }

    private void removeMember(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        memberships.removeMember(session.userId(), Requests.pathParam(request, "conversationId"),
                Requests.pathParam(request, "userId"));
        JsonResponses.noContent(response);
    }

    private static List<String> memberIds(List<String> ids) {
        required(ids, "memberIds");
        ids.forEach(id -> requireId(id, "memberIds[]"));
        return ids;
    }

    private static String requireId(String id, String field) {
        if (id == null || id.isBlank() || id.length() > MAX_ID_LENGTH) {
            throw Refusal.invalid("invalid " + field, field + " must be a user id");
        }
        return id;
    }
}
