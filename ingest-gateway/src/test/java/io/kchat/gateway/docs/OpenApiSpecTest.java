package io.kchat.gateway.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kchat.gateway.GatewayConfig;
import io.kchat.gateway.RestApi;
import io.kchat.gateway.RestDependencies;
import io.kchat.gateway.http.ProblemCode;
import io.kchat.gateway.media.Media;
import io.kchat.gateway.messages.CiphertextParser;
import io.kchat.gateway.messages.EncryptionLimits;
import io.kchat.gateway.messages.SendRules;
import io.kchat.gateway.observability.GatewayMetrics;
import io.kchat.gateway.origins.OriginPolicy;
import io.kchat.gateway.webclient.WebClientRoutes;
import io.kchat.gateway.ws.ChatWebSocket;
import io.kchat.gateway.ws.SessionDirectory;
import io.kchat.gateway.ws.SessionRegistry;
import io.kchat.gateway.ws.WsConfig;
import io.kchat.observability.Health;
import io.kchat.observability.HealthRoutes;
import io.kchat.observability.MetricsRoutes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * openapi.yaml says what the gateway does: the same operations as the routes it registers (no more, no fewer), the
 * fields of the records it reads and writes, its problem codes, 429 with Retry-After exactly where the per-address
 * limit applies, and 401 wherever a bearer token is required.
 */
class OpenApiSpecTest {

    private static final JsonNode SPEC = SpecFiles.openApi();
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    /** Component schemas and the records behind them (package-private ones by name). */
    private static final Map<String, String> RECORDS = Map.ofEntries(
            Map.entry("Problem", "io.kchat.gateway.http.Problem"),
            Map.entry("UserProfile", "io.kchat.gateway.accounts.UserProfile"),
            Map.entry("RegisterRequest", "io.kchat.gateway.auth.sessions.AuthRoutes$RegisterRequest"),
            Map.entry("LoginRequest", "io.kchat.gateway.auth.sessions.AuthRoutes$LoginRequest"),
            Map.entry("LoginResponse", "io.kchat.gateway.auth.sessions.AuthRoutes$LoginResponse"),
            Map.entry("RefreshRequest", "io.kchat.gateway.auth.sessions.AuthRoutes$RefreshRequest"),
            Map.entry("RefreshResponse", "io.kchat.gateway.auth.sessions.AuthRoutes$RefreshResponse"),
            Map.entry("PasswordChangeRequest", "io.kchat.gateway.auth.sessions.AuthRoutes$PasswordChangeRequest"),
            Map.entry("OtpCodeRequest", "io.kchat.gateway.otp.OtpRoutes$CodeRequest"),
            Map.entry("OtpRequested", "io.kchat.gateway.otp.OtpService$OtpRequested"),
            Map.entry("OtpVerifyRequest", "io.kchat.gateway.otp.OtpRoutes$VerifyRequest"),
            Map.entry("Jwk", "io.kchat.gateway.auth.tokens.JwksDocument$Jwk"),
            Map.entry("ProfileUpdate", "io.kchat.gateway.users.UserRoutes$ProfileUpdate"),
            Map.entry("UserList", "io.kchat.gateway.users.UserRoutes$UserList"),
            Map.entry("PresenceView", "io.kchat.gateway.presence.PresenceView"),
            Map.entry("OnlineStats", "io.kchat.gateway.presence.OnlineStats"),
            Map.entry("CreateConversationRequest", "io.kchat.gateway.conversations.ConversationRoutes$CreateRequest"),
            Map.entry("UpdateConversationRequest", "io.kchat.gateway.conversations.ConversationRoutes$UpdateRequest"),
            Map.entry("AddMemberRequest", "io.kchat.gateway.conversations.ConversationRoutes$AddMemberRequest"),
            Map.entry("MemberView", "io.kchat.gateway.conversations.ConversationView$MemberView"),
            Map.entry("ConversationView", "io.kchat.gateway.conversations.ConversationView"),
            Map.entry("ConversationList", "io.kchat.gateway.conversations.ConversationRoutes$ConversationList"),
            Map.entry("ReceiptList", "io.kchat.gateway.conversations.ConversationRoutes$ReceiptList"),
            Map.entry("ReceiptPosition", "io.kchat.gateway.conversations.ReceiptPosition"),
            Map.entry("MessageView", "io.kchat.gateway.messages.MessageView"),
            Map.entry("EnvelopeView", "io.kchat.gateway.messages.EnvelopeView"),
            Map.entry("ReactionView", "io.kchat.gateway.messages.ReactionView"),
            Map.entry("AttachmentView", "io.kchat.gateway.messages.AttachmentView"),
            Map.entry("AttachmentRequest", "io.kchat.gateway.messages.AttachmentRequest"),
            Map.entry("MessageList", "io.kchat.gateway.messages.MessageRoutes$MessageList"),
            Map.entry("SendMessageRequest", "io.kchat.gateway.messages.MessageRoutes$SendRequest"),
            Map.entry("Accepted", "io.kchat.gateway.messages.MessageRoutes$Accepted"),
            Map.entry("DeviceRef", "io.kchat.gateway.messages.DeviceRef"),
            Map.entry("SearchResults", "io.kchat.gateway.search.SearchResults"),
            Map.entry("UploadedMedia", "io.kchat.gateway.media.UploadedMedia"),
            Map.entry("SearchHit", "io.kchat.gateway.search.SearchHit"),
            Map.entry("KeyUpload", "io.kchat.gateway.keys.KeyUpload"),
            Map.entry("SignedPreKey", "io.kchat.gateway.keys.KeyUpload$SignedPreKey"),
            Map.entry("OneTimePreKey", "io.kchat.gateway.keys.KeyUpload$OneTimePreKey"),
            Map.entry("PreKeyCount", "io.kchat.gateway.keys.KeyViews$PreKeyCount"),
            Map.entry("DeviceKeys", "io.kchat.gateway.keys.KeyViews$DeviceKeysView"),
            Map.entry("UserKeys", "io.kchat.gateway.keys.KeyViews$UserKeysView"),
            Map.entry("ClaimedKeys", "io.kchat.gateway.keys.KeyViews$ClaimedView"),
            Map.entry("OwnProfile", "io.kchat.gateway.users.OwnProfile"),
            Map.entry("SendContactRequest", "io.kchat.gateway.contacts.ContactRoutes$SendRequest"),
            Map.entry("ContactRequest", "io.kchat.gateway.contacts.ContactRequest"),
            Map.entry("ContactRequestAnswer", "io.kchat.gateway.contacts.ContactRoutes$RequestAnswer"),
            Map.entry("ContactRequestList", "io.kchat.gateway.contacts.ContactRoutes$RequestList"),
            Map.entry("Contact", "io.kchat.gateway.relations.ContactStore$Contact"),
            Map.entry("ContactAnswer", "io.kchat.gateway.contacts.ContactRoutes$ContactAnswer"),
            Map.entry("ContactList", "io.kchat.gateway.contacts.ContactRoutes$ContactList"),
            Map.entry("Blocked", "io.kchat.gateway.relations.BlockStore$Blocked"),
            Map.entry("BlockList", "io.kchat.gateway.contacts.ContactRoutes$BlockList"),
            Map.entry("ConversationSettings", "io.kchat.gateway.conversations.ConversationSettings"),
            Map.entry("SettingsRequest", "io.kchat.gateway.conversations.ConversationRoutes$SettingsRequest"),
            Map.entry("VapidPublicKey", "io.kchat.gateway.push.PushRoutes$VapidAnswer"),
            Map.entry("PushSubscriptionRequest", "io.kchat.gateway.push.SubscriptionRequest"),
            Map.entry("PushSubscriptionKeys", "io.kchat.gateway.push.SubscriptionRequest$Keys"),
            Map.entry("Assistant", "io.kchat.gateway.assistant.AssistantService$Availability"),
            Map.entry("CreateAssistantConversationRequest",
                    "io.kchat.gateway.assistant.AssistantRoutes$CreateRequest"));
    /** Operations limited per user by their service rather than per address by the filter: 429 documented too. */
    private static final Set<String> LIMITED_PER_USER = Set.of("POST /v1/contacts/requests", "PUT /v1/keys",
            "POST /v1/keys/claim");
    /**
     * Object schemas written by other means than a record: the JWK set is a map ({@code JwksDocument}), the health
     * report is written by hand ({@code io.kchat.observability.HealthJson}), a send's ciphertext is read from the JSON
     * tree ({@code CiphertextParser}).
     */
    private static final Set<String> NOT_RECORDS = Set.of("JwkSet", "Health", "Ciphertext");

    @Test
    void documentsExactlyTheRoutesTheGatewayRegisters() {
        Set<String> registered = gatewayRoutes();
        String assets = DocsRoutes.ASSETS_PATH + RouteRecorder.ANY_PATH;
        assertTrue(registered.contains("GET " + assets), "the page's files are served: " + registered);
        registered.removeIf(route -> route.endsWith(" " + assets)); // files, not operations
        String clientFiles = WebClientRoutes.ASSETS_PATH;
        assertTrue(registered.contains("GET " + clientFiles + RouteRecorder.ANY_PATH), "the client's files: " + registered);
        registered.removeIf(route -> route.endsWith(" " + clientFiles) || route.endsWith(" " + clientFiles + RouteRecorder.ANY_PATH));

        Set<String> documented = operations().keySet();
        assertEquals(Set.of(), difference(registered, documented), "registered but missing from openapi.yaml");
        assertEquals(Set.of(), difference(documented, registered), "in openapi.yaml but not registered");
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = SpecFiles.references(SPEC);
        assertTrue(refs.size() > 50, "the document uses references: " + refs.size());
        for (String ref : refs) {
            assertTrue(ref.startsWith("#/"), "one self-contained document: " + ref);
            SpecFiles.resolve(SPEC, JsonNodeFactory.instance.objectNode().put("$ref", ref));
        }
    }

    @Test
    void schemasHaveTheFieldsOfTheRecordsOnTheWire() throws ClassNotFoundException {
        JsonNode schemas = SPEC.path("components").path("schemas");
        Set<String> objectSchemas = new TreeSet<>();
        schemas.properties().forEach(entry -> {
            if (entry.getValue().has("properties")) {
                objectSchemas.add(entry.getKey());
            }
        });
        Set<String> covered = new TreeSet<>(RECORDS.keySet());
        covered.addAll(NOT_RECORDS);
        assertEquals(objectSchemas, covered, "every object schema is compared with its record, or known not to be one");

        for (var entry : RECORDS.entrySet()) {
            Class<?> type = Class.forName(entry.getValue());
            Set<String> components = Arrays.stream(type.getRecordComponents())
                    .filter(component -> !component.getAccessor().isAnnotationPresent(JsonIgnore.class))
                    .map(RecordComponent::getName)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> documented = names(schemas.path(entry.getKey()).path("properties"));
            if (Arrays.stream(type.getMethods()).anyMatch(method -> method.isAnnotationPresent(JsonAnyGetter.class))) {
                // members beyond the components (a problem's extensions) are documented where they are sent
                assertTrue(documented.containsAll(components), entry.getKey() + " against " + entry.getValue());
            } else {
                assertEquals(components, documented, entry.getKey() + " against " + entry.getValue());
            }
        }
    }

    @Test
    void problemCodesAreTheCodesTheGatewaySends() {
        JsonNode problem = SPEC.at("/components/schemas/Problem/properties");
        Set<String> codes = Arrays.stream(ProblemCode.values()).map(ProblemCode::wireName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(codes, texts(problem.path("code").path("enum")));
        assertEquals(codes.stream().map(code -> "/problems/" + code).collect(Collectors.toCollection(TreeSet::new)),
                texts(problem.path("type").path("enum")));
    }

    @Test
    void tooManyRequestsWithRetryAfterIsDocumentedWhereTheAddressLimitApplies() throws Exception {
        Method limited = Class.forName("io.kchat.gateway.http.AuthRateLimitFilter")
                .getDeclaredMethod("limited", String.class);
        limited.setAccessible(true);
        List<String> checked = new ArrayList<>();
        for (var operation : operations().entrySet()) {
            String path = operation.getKey().substring(operation.getKey().indexOf(' ') + 1);
            JsonNode tooMany = operation.getValue().path("responses").path("429");
            boolean isLimited = (boolean) limited.invoke(null, path);
            boolean perUser = LIMITED_PER_USER.contains(operation.getKey());
            assertEquals(isLimited || perUser, !tooMany.isMissingNode(),
                    operation.getKey() + " documents 429 iff it is limited");
            if (perUser) {
                assertTrue(SpecFiles.resolve(SPEC, tooMany).path("headers").has("Retry-After"), operation.getKey());
                continue;
            }
            if (isLimited) {
                assertTrue(SpecFiles.resolve(SPEC, tooMany).path("headers").has("Retry-After"), operation.getKey());
                checked.add(operation.getKey());
            }
        }
        assertEquals(5, checked.size(), "login, register, refresh and the two OTP calls: " + checked);
    }

    @Test
    void everyOperationThatNeedsABearerTokenDocuments401() {
        assertEquals("bearer", SPEC.at("/components/securitySchemes/bearerAuth/scheme").asText());
        operations().forEach((operation, node) -> {
            JsonNode security = node.has("security") ? node.get("security") : SPEC.get("security");
            boolean bearer = StreamSupport.stream(security.spliterator(), false).anyMatch(s -> s.has("bearerAuth"));
            if (bearer) {
                assertTrue(node.path("responses").has("401"), operation + " documents 401");
            }
        });
    }

    /**
     * The routes of a gateway node as {@code Gateway.start} wires them: the REST API, then the WebSocket's GET, then
     * health and metrics.
     */
    static Set<String> gatewayRoutes() {
        RestDependencies none = new RestDependencies(null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, Media.unconfigured(), null, null, null);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ChatWebSocket chat = new ChatWebSocket(WsConfig.defaults("spec-test"),
                new OriginPolicy(Set.of(), Set.of(), false), null, new SessionRegistry(),
                new ChatWebSocket.Publishers(null, null, null, null), null,
                new SendRules(new CiphertextParser(EncryptionLimits.DEFAULT), null), SessionDirectory.NONE,
                new GatewayMetrics(registry, Clock.systemUTC()), GatewayConfig.DEFAULT_SESSION_CHECK, Clock.systemUTC())) {
            return RouteRecorder.routesOf(http -> chat.httpRouting(RestApi.routing(http, none))
                    .register(new HealthRoutes(new Health()), new MetricsRoutes(registry)));
        }
    }

    /** {@code "METHOD /path"} to the operation object. */
    private static Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new TreeMap<>();
        SPEC.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (HTTP_METHODS.contains(operation.getKey())) {
                operations.put(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(),
                        operation.getValue());
            }
        }));
        return operations;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> texts = new TreeSet<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> result = new TreeSet<>(a);
        result.removeAll(b);
        return result;
    }
}
