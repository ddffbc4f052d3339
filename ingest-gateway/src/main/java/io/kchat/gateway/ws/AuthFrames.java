package io.kchat.gateway.ws;

import io.kchat.gateway.auth.tokens.AccessTokenVerifier;
import io.kchat.gateway.auth.tokens.AuthenticatedDevice;
import io.kchat.gateway.auth.tokens.InvalidTokenException;
import io.kchat.gateway.observability.GatewayMetrics;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket's {@code auth} frames. A socket opened without an Authorization header authenticates with its first
 * one, which opens its session; an authenticated socket re-authenticates with a fresh token of the same user and
 * device before the old one expires, which moves its expiry. A token that does not verify closes the socket (4001);
 * a valid one of another user or device is refused ({@code forbidden}) and the socket stays as it was.
 */
final class AuthFrames {

    /** Opens the session of a socket's first authentication; completes once the answer to {@code ref} is queued. */
    @FunctionalInterface
    interface SessionOpener {
        CompletableFuture<?> open(ClientSession session, AuthenticatedDevice device, String ref);
    }

    private static final Logger log = LoggerFactory.getLogger(AuthFrames.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final AccessTokenVerifier verifier;
    private final GatewayMetrics metrics;
    private final SessionOpener opener;

    AuthFrames(AccessTokenVerifier verifier, GatewayMetrics metrics, SessionOpener opener) {
        this.verifier = verifier;
        this.metrics = metrics;
        this.opener = opener;
    }

    /** Completes once the frame's answer is queued. */
    CompletableFuture<?> handle(ClientSession session, ClientFrame.Auth auth) {
        AuthenticatedDevice device;
        try {
            device = verifier.verify(auth.token());
        } catch (InvalidTokenException e) {
            metrics.authFailure("ws");
            log.debug("auth frame refused: {}", e.getMessage());
            session.close(CloseCodes.AUTH_FAILED, "authentication failed: " + e.getMessage());
            return DONE;
        }
        SessionIdentity who = session.identity();
        if (who == null) {
            return opener.open(session, device, auth.ref());
        } else if (who.userId().equals(device.userId()) && who.deviceId().equals(device.deviceId())) {
            session.extend(device.expiresAt());
            session.send(new ServerFrame.Ok(auth.ref(), null));
        } else {
            session.send(ServerFrame.Error.of(auth.ref(), null, ErrorCode.FORBIDDEN,
                    "the token is for another user or device"));
        }
        return DONE;
    }
}
