package io.kchat.gateway.ws;

import io.kchat.gateway.auth.tokens.AccessTokenVerifier;
import io.kchat.gateway.auth.tokens.AuthenticatedDevice;
import io.kchat.gateway.auth.tokens.InvalidTokenException;
import io.kchat.gateway.origins.Origin;
import io.kchat.gateway.origins.OriginPolicy;
import io.kchat.gateway.origins.OriginRequest;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides a WebSocket upgrade from its {@code Origin} and {@code Authorization} headers. Used twice: by the
 * listener to accept or refuse the upgrade, and by the HTTP route that answers a refused one (Helidon hands
 * a refused upgrade to the HTTP routing, which must say why).
 */
final class UpgradeAuthorization {

    private static final String BEARER = "bearer ";

    sealed interface Outcome {
    }

    /**
     * @param device        the token's device, or null: the client authenticates with its first frame
     * @param pendingOrigin the request when its origin is allowed only if its TCP peer, not known at the upgrade, is
     *                      a trusted proxy ({@link OriginPolicy}): the open socket settles it; else null
     */
    record Accepted(AuthenticatedDevice device, OriginRequest pendingOrigin) implements Outcome {
    }

    record Refused(int status, String code, String message) implements Outcome {
    }

    private final AccessTokenVerifier verifier;
    private final OriginPolicy origins;

    UpgradeAuthorization(AccessTokenVerifier verifier, OriginPolicy origins) {
        this.verifier = verifier;
        this.origins = origins;
    }

    Outcome check(OriginRequest origin, Optional<String> authorization) {
        OriginPolicy.Decision decision = origins.decide(origin);
        if (decision == OriginPolicy.Decision.REFUSED) {
            return new Refused(403, "forbidden", "origin not allowed");
        }
        OriginRequest pending = decision == OriginPolicy.Decision.IF_TRUSTED_PEER ? origin : null;
        if (authorization.isEmpty()) {
            return new Accepted(null, pending);
        }
        String header = authorization.get();
        if (!header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            return new Refused(401, "unauthorized", "expected a Bearer access token");
        }
        try {
            return new Accepted(verifier.verify(header.substring(BEARER.length()).trim()), pending);
        } catch (InvalidTokenException e) {
            return new Refused(401, "unauthorized", e.getMessage());
        }
    }

    /** Settles an {@link Accepted#pendingOrigin()} once the socket's TCP peer is known. */
    boolean originAllowed(OriginRequest pendingOrigin, SocketAddress peer) {
        return origins.allows(pendingOrigin, peer);
    }
}
