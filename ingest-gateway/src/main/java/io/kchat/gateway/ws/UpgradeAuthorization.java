package io.kchat.gateway.ws;

import io.kchat.gateway.auth.AccessTokenVerifier;
import io.kchat.gateway.auth.AuthenticatedDevice;
import io.kchat.gateway.auth.InvalidTokenException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides a WebSocket upgrade from its {@code Origin} and {@code Authorization} headers. Used twice: by the
 * listener to accept or refuse the upgrade, and by the HTTP route that answers a refused one (Helidon hands
 * a refused upgrade to the HTTP routing, which must say why).
 */
final class UpgradeAuthorization {

    private static final String BEARER = "bearer ";

    sealed interface Outcome {
    }

    /** @param device the token's device, or null: the client authenticates with its first frame */
    record Accepted(AuthenticatedDevice device) implements Outcome {
    }

    record Refused(int status, String code, String message) implements Outcome {
    }

    private final AccessTokenVerifier verifier;
    private final Set<String> allowedOrigins;

    UpgradeAuthorization(AccessTokenVerifier verifier, Set<String> allowedOrigins) {
        this.verifier = verifier;
        this.allowedOrigins = allowedOrigins;
    }

    Outcome check(Optional<String> origin, Optional<String> authorization) {
        if (origin.isPresent() && !allowedOrigins.isEmpty() && !allowedOrigins.contains(origin.get())) {
            return new Refused(403, "forbidden", "origin not allowed");
        }
        if (authorization.isEmpty()) {
            return new Accepted(null);
        }
        String header = authorization.get();
        if (!header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            return new Refused(401, "unauthorized", "expected a Bearer access token");
        }
        try {
            return new Accepted(verifier.verify(header.substring(BEARER.length()).trim()));
        } catch (InvalidTokenException e) {
            return new Refused(401, "unauthorized", e.getMessage());
        }
    }
}
