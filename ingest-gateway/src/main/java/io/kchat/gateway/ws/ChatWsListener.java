package io.kchat.gateway.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection (a new instance per upgrade), in the order Helidon calls it on the connection's thread:
 * the upgrade is admitted or refused ({@link SocketAdmission}), the open socket gets its {@link ClientSession}, its
 * frames go through {@link InboundFrames}, and once authenticated its session is registered
 * ({@link SessionRegistrar}). Its timers ({@link ConnectionTimers}) and its outbound writer call back from their own
 * threads; whoever notices the end first ends the connection, once.
 */
final class ChatWsListener implements WsListener {

    private static final Logger log = LoggerFactory.getLogger(ChatWsListener.class);
    /** Before (or without) an upgrade decision: no token, no origin left to settle. */
    private static final UpgradeAuthorization.Accepted ANONYMOUS = new UpgradeAuthorization.Accepted(null, null);

    private final SocketAdmission admission;
    private final ClientSessions sessions;
    private final ConnectionTimers timers;
    private final SessionRegistrar.Registration registration;
    private final InboundFrames frames;
    private final AtomicBoolean ended = new AtomicBoolean();
    private UpgradeAuthorization.Accepted upgrade = ANONYMOUS;
    private volatile ClientSession session;

    ChatWsListener(SocketAdmission admission, ClientSessions sessions, ConnectionTimers timers,
                   SessionRegistrar.Registration registration, InboundFrames frames) {
        this.admission = admission;
        this.sessions = sessions;
        this.timers = timers;
        this.registration = registration;
        this.frames = frames;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        upgrade = admission.upgrade(headers);
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession socket) {
        ClientSession opened = sessions.open(socket, this::ended);
        session = opened; // before it starts: its end may come from the writer at any time from then on
        opened.start();
        if (!admission.admit(opened, upgrade.pendingOrigin(), socket)) {
            return;
        }
        timers.admitted(opened, upgrade.device() != null);
        if (upgrade.device() != null) {
            registration.open(opened, upgrade.device(), null);
        }
    }

    @Override
    public void onMessage(WsSession socket, String text, boolean last) {
        timers.heard();
        frames.text(session, text, last);
    }

    @Override
    public void onMessage(WsSession socket, BufferData buffer, boolean last) {
        timers.heard();
        frames.binary(session, last);
    }

    @Override
    public void onPing(WsSession socket, BufferData buffer) {
        timers.heard();
        session.pong(buffer);
    }

    @Override
    public void onPong(WsSession socket, BufferData buffer) {
        timers.heard();
    }

    @Override
    public void onClose(WsSession socket, int status, String reason) {
        log.debug("client closed the socket: {} {}", status, reason);
        ended();
    }

    @Override
    public void onError(WsSession socket, Throwable error) {
        log.warn("websocket error, closing", error);
        ended();
    }

    /** Once per connection, whoever notices first: the peer's close, an error, or the writer stopping. */
    private void ended() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        timers.stop();
        ClientSession current = session;
        if (current == null) {
            return;
        }
        try {
            current.stop();
            registration.end(current);
        } finally {
            admission.ended(current);
        }
    }
}
