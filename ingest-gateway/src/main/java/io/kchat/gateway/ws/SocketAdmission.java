package io.kchat.gateway.ws;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import io.kchat.gateway.origins.OriginRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which sockets the endpoint takes. An upgrade is refused while the node drains, and when its origin or token is
 * ({@link UpgradeAuthorization}): Helidon then routes the request over HTTP, where {@link ChatWebSocket} answers it
 * (503: try another node; 401/403). An opened socket is closed at once when its origin was allowed only if its TCP
 * peer is a trusted proxy and it is not (1008), or when the node began to drain meanwhile (1001). The sockets
 * admitted are the {@link OpenSockets} a drain ends.
 */
final class SocketAdmission {

    static final String GOING_AWAY_REASON = "server going away, reconnect";
    private static final Logger log = LoggerFactory.getLogger(SocketAdmission.class);

    private final OpenSockets sockets;
    private final UpgradeAuthorization upgrades;

    SocketAdmission(OpenSockets sockets, UpgradeAuthorization upgrades) {
        this.sockets = sockets;
        this.upgrades = upgrades;
    }

    /** @throws WsUpgradeException when the upgrade is refused */
    UpgradeAuthorization.Accepted upgrade(Headers headers) throws WsUpgradeException {
        if (sockets.isDraining()) {
            throw new WsUpgradeException(GOING_AWAY_REASON);
        }
        return switch (upgrades.check(OriginRequest.of(headers), headers.first(HeaderNames.AUTHORIZATION))) {
            case UpgradeAuthorization.Accepted accepted -> accepted;
            case UpgradeAuthorization.Refused refused -> throw new WsUpgradeException(refused.message());
        };
    }

    /**
     * Admits the socket's session, or closes it (through the session, so that frames already on their way are
     * ignored) before it is admitted or authenticated.
     *
     * @param pendingOrigin the upgrade's {@link UpgradeAuthorization.Accepted#pendingOrigin()}
     */
    boolean admit(ClientSession session, OriginRequest pendingOrigin, WsSession socket) {
        if (pendingOrigin != null
                && !upgrades.originAllowed(pendingOrigin, socket.socketContext().remotePeer().address())) {
            log.info("closing a socket whose origin {} is allowed only through forwarded headers, from {}, not a"
                    + " trusted proxy", pendingOrigin.origin().orElse(""), socket.socketContext().remotePeer().host());
            session.close(CloseCodes.POLICY, "origin not allowed");
            return false;
        }
        if (!sockets.admit(session)) {
            // upgraded while the node began to drain
            session.close(CloseCodes.GOING_AWAY, GOING_AWAY_REASON);
            return false;
        }
        return true;
    }

    /** The socket's session has ended (its SessionClosed, if any, handed to the producer). */
    void ended(ClientSession session) {
        sockets.ended(session);
    }
}
