package io.kchat.gateway.auth.sessions;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.kchat.gateway.errors.Refusal;
import java.util.Locale;

/** {@code Authorization: Bearer <accessToken>} on REST calls; anything missing or wrong is a 401. */
public final class BearerAuth {

    private static final String SCHEME = "bearer ";
    private final SessionService sessions;

    public BearerAuth(SessionService sessions) {
        this.sessions = sessions;
    }

    public AuthenticatedSession authenticate(ServerRequest request) {
        String header = request.headers().first(HeaderNames.AUTHORIZATION)
                .orElseThrow(() -> Refusal.unauthenticated("missing bearer token"));
        if (header.length() <= SCHEME.length()
                || !header.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            throw Refusal.unauthenticated("missing bearer token");
        }
        return sessions.authenticate(header.substring(SCHEME.length()).strip());
    }
}
