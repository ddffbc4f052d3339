package io.kchat.gateway.auth.sessions;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kchat.gateway.accounts.UserProfile;
import io.kchat.gateway.auth.passwords.AccountService;
import io.kchat.gateway.auth.tokens.JwksDocument;
import io.kchat.gateway.auth.tokens.KeyRing;
import io.kchat.gateway.http.JsonBodies;
import io.kchat.gateway.http.JsonResponses;

import static io.kchat.gateway.http.Requests.required;

/** /v1/auth/* and the JWK set. */
public final class AuthRoutes implements HttpService {

    private static final String BEARER = "Bearer";

    record RegisterRequest(String username, String password, String displayName) {
    }

    record LoginRequest(String username, String password, String deviceId) {
    }

    record RefreshRequest(String refreshToken) {
    }

    record PasswordChangeRequest(String currentPassword, String newPassword) {
    }

    /** The answer of every login, by password or by phone code. */
    public record LoginResponse(String userId, String deviceId, String accessToken, String refreshToken,
                                String tokenType, long expiresIn) {
        public static LoginResponse of(SessionTokens tokens) {
            return new LoginResponse(tokens.userId(), tokens.deviceId(), tokens.accessToken().token(),
                    tokens.refreshToken(), BEARER, tokens.accessToken().expiresInSeconds());
        }
    }

    record RefreshResponse(String accessToken, String refreshToken, String tokenType, long expiresIn) {
    }

    private final AccountService accounts;
    private final Logins logins;
    private final SessionService sessions;
    private final PasswordChange passwordChange;
    private final KeyRing keys;
    private final BearerAuth bearer;

    public AuthRoutes(AccountService accounts, Logins logins, SessionService sessions, PasswordChange passwordChange,
                      KeyRing keys, BearerAuth bearer) {
        this.accounts = accounts;
        this.logins = logins;
        this.sessions = sessions;
        this.passwordChange = passwordChange;
        this.keys = keys;
        this.bearer = bearer;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/auth/register", this::register)
                .post("/v1/auth/login", this::login)
                .post("/v1/auth/refresh", this::refresh)
                .post("/v1/auth/logout", this::logout)
                .post("/v1/auth/password", this::changePassword)
                .get("/.well-known/jwks.json", this::jwks);
    }

    private void register(ServerRequest request, ServerResponse response) {
        RegisterRequest body = JsonBodies.read(request, RegisterRequest.class);
        UserProfile user = accounts.register(body.username(), body.password(), body.displayName());
        JsonResponses.send(response, 201, user);
    }

    private void login(ServerRequest request, ServerResponse response) {
        LoginRequest body = JsonBodies.read(request, LoginRequest.class);
        SessionTokens tokens = logins.withPassword(required(body.username(), "username"),
                required(body.password(), "password"), body.deviceId());
        JsonResponses.ok(response, LoginResponse.of(tokens));
    }

    private void refresh(ServerRequest request, ServerResponse response) {
        RefreshRequest body = JsonBodies.read(request, RefreshRequest.class);
        SessionTokens tokens = sessions.refresh(required(body.refreshToken(), "refreshToken"));
        JsonResponses.ok(response, new RefreshResponse(tokens.accessToken().token(), tokens.refreshToken(), BEARER,
                tokens.accessToken().expiresInSeconds()));
    }

    private void logout(ServerRequest request, ServerResponse response) {
        sessions.logout(bearer.authenticate(request));
        JsonResponses.noContent(response);
    }

    private void changePassword(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = bearer.authenticate(request);
        PasswordChangeRequest body = JsonBodies.read(request, PasswordChangeRequest.class);
        passwordChange.change(session, body.currentPassword(), body.newPassword());
        JsonResponses.noContent(response);
    }

    private void jwks(ServerRequest request, ServerResponse response) {
        response.header("Cache-Control", "public, max-age=300");
        JsonResponses.ok(response, JwksDocument.of(keys));
    }
}
