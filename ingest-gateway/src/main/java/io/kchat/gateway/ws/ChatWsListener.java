package io.kchat.gateway.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import io.kchat.gateway.auth.AuthenticatedDevice;
import io.kchat.gateway.auth.InvalidTokenException;
import io.kchat.gateway.origins.OriginRequest;
import io.kchat.observability.Correlation;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection (a new instance per upgrade). Helidon calls it on the connection's thread; the
 * timers and the outbound writer call back from theirs, hence the volatile and atomic state.
 *
 * <p>Hostile input: the whole message is bounded (fragments included, 1009), every frame but {@code ack} passes
 * the rate limits before it is processed ({@link FrameRateLimits}), and a socket from which nothing is heard for
 * the idle timeout is closed (4008).
 *
 * <p>Each client frame is handled under a correlation id of its own (for a {@code send}, one that shows the
 * client's message id): in the log lines it causes and in the header of what it publishes.
 */
final class ChatWsListener implements WsListener {

    static final int AUTH_FAILED = 4001;
    static final int AUTH_TIMEOUT = 4002;
    static final int IDLE = 4008;
    static final int POLICY = 1008;
    static final int TOO_BIG = 1009;
    static final int INTERNAL = 1011;
    private static final String GOING_AWAY_REASON = "server going away, reconnect";
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /**
     * How long an opening socket waits for its directory row: the database answers in milliseconds when it is up,
     * and a socket whose session has no row could not be reaped, so past this it is closed (1011) and the client
     * reconnects.
     */
    static final Duration ROW_TIMEOUT = Duration.ofSeconds(5);
    /** The directory's futures complete on its one worker thread: what follows (a publish) runs elsewhere. */
    private static final Executor VIRTUAL_THREADS = task -> Thread.ofVirtual().name("session-open").start(task);

    private static final Logger log = LoggerFactory.getLogger(ChatWsListener.class);

    private final ConnectionDeps deps;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final MessageAssembler assembler;
    private final FrameRateLimits rates;
    private final long idleTimeoutNanos;
    private AuthenticatedDevice upgradeDevice;
    /** An origin allowed only if the TCP peer is a trusted proxy: onOpen, which sees the peer, settles it. */
    private OriginRequest pendingOrigin;
    private volatile ClientSession session;
    /** Set once the registry took the session: only then is there a session to end. */
    private volatile boolean registered;
    /** Set (under this) when SessionOpened is handed to the producer: only then is SessionClosed due. */
    private boolean openedPublished;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile ScheduledFuture<?> authTimer;
    private volatile ScheduledFuture<?> expiryTimer;
    private volatile ScheduledFuture<?> idleTimer;

    ChatWsListener(ConnectionDeps deps) {
        this.deps = deps;
        this.assembler = new MessageAssembler(deps.config().maxFrameBytes());
        this.rates = deps.frameRateLimits();
        this.idleTimeoutNanos = deps.config().limits().idleTimeout().toNanos();
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        if (deps.sockets().isDraining()) {
            // Helidon then routes the request over HTTP, where it is answered 503: try another node
            throw new WsUpgradeException(GOING_AWAY_REASON);
        }
        UpgradeAuthorization.Outcome outcome = deps.upgrades().check(
                OriginRequest.of(headers), headers.first(HeaderNames.AUTHORIZATION));
        switch (outcome) {
            case UpgradeAuthorization.Accepted accepted -> {
                upgradeDevice = accepted.device();
                pendingOrigin = accepted.pendingOrigin();
            }
            // Helidon then routes the request over HTTP, where ChatWebSocket's handler answers 401/403
            case UpgradeAuthorization.Refused refused -> throw new WsUpgradeException(refused.message());
        }
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession socket) {
        Outbound outbound = new Outbound(socket, deps.config().outboundQueueFrames(), deps.config().pingInterval(),
                deps.timers(), this::ended);
        session = new ClientSession(outbound, deps.config().outboundQueueFrames(), deps.metrics());
        outbound.start();
        if (pendingOrigin != null
                && !deps.upgrades().originAllowed(pendingOrigin, socket.socketContext().remotePeer().address())) {
            // forwarded headers from a peer that is no trusted proxy: closed before it is admitted or authenticated
            // (through the session, so that frames already on their way are ignored)
            log.info("closing a socket whose origin {} is allowed only through forwarded headers, from {}, not a"
                    + " trusted proxy", pendingOrigin.origin().orElse(""), socket.socketContext().remotePeer().host());
            session.close(POLICY, "origin not allowed");
            return;
        }
        if (!deps.sockets().admit(session)) {
            // upgraded while the node began to drain
            session.close(SessionRegistry.GOING_AWAY, GOING_AWAY_REASON);
            return;
        }
        heard();
        scheduleIdleCheck(idleTimeoutNanos / 2);
        if (upgradeDevice != null) {
            authenticate(upgradeDevice, null);
        } else {
            authTimer = deps.timers().schedule(this::authTimedOut, deps.config().authTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void onMessage(WsSession socket, String text, boolean last) {
        heard();
        if (session.isClosing()) {
            return;
        }
        String message;
        try {
            message = assembler.append(text, last);
        } catch (MessageAssembler.MessageTooLargeException e) {
            session.close(TOO_BIG, e.getMessage());
            return;
        }
        if (message != null) {
            handle(message);
        }
    }

    @Override
    public void onMessage(WsSession socket, BufferData buffer, boolean last) {
        heard();
        if (last) {
            deps.metrics().frameIn("binary");
        }
        if (last && !session.isClosing() && admitted(null, null)) {
            session.send(ServerFrame.Error.of(null, null, ErrorCode.BAD_REQUEST, "frames are JSON text"));
        }
    }

    @Override
    public void onPing(WsSession socket, BufferData buffer) {
        heard();
        session.pong(buffer);
    }

    @Override
    public void onPong(WsSession socket, BufferData buffer) {
        heard();
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

    private void handle(String text) {
        ClientFrame frame;
        try {
            frame = deps.parser().parse(text);
        } catch (BadFrameException e) {
            deps.metrics().frameIn("invalid");
            try (Correlation.Scope ignored = Correlation.open(Correlation.newId())) {
                log.debug("invalid frame: {}", e.getMessage());
                if (admitted(e.ref(), null)) {
                    session.send(ServerFrame.Error.of(e.ref(), null, ErrorCode.BAD_REQUEST, e.getMessage()));
                }
            }
            return;
        }
        deps.metrics().frameIn(frame.type());
        try (Correlation.Scope ignored = Correlation.open(frame instanceof ClientFrame.Send send
                ? Correlation.forClientId(send.id()) : Correlation.newId())) {
            log.debug("{} frame taken (ref {})", frame.type(), frame.ref());
            handle(frame);
        }
    }

    private void handle(ClientFrame frame) {
        // acks are exempt: cumulative and coalesced, and a device may ack every event of a long replay
        if (!(frame instanceof ClientFrame.Ack)
                && !admitted(frame.ref(), frame instanceof ClientFrame.Send send ? send.id() : null)) {
            return;
        }
        if (frame instanceof ClientFrame.Ack || frame instanceof ClientFrame.Ping) {
            dispatch(frame); // answered at once or coalesced: nothing for a drain to wait for, taken until the close
        } else {
            take(frame);
        }
    }

    /** A frame that writes to Kafka or opens a session: counted until answered, so that a drain waits for it. */
    private void take(ClientFrame frame) {
        if (!session.frameTaken()) {
            // the node drains: the close (1001) follows once the frames taken before are answered
            session.send(ServerFrame.Error.of(frame.ref(), frame instanceof ClientFrame.Send send ? send.id() : null,
                    ErrorCode.INTERNAL, "server going away: send it again after reconnecting"));
            return;
        }
        CompletableFuture<?> answered;
        try {
            answered = dispatch(frame);
        } catch (RuntimeException | Error e) {
            session.frameAnswered();
            throw e;
        }
        answered.whenComplete((done, error) -> session.frameAnswered());
    }

    /** Completes once the frame's answer is queued (for a send: after the broker acknowledged it). */
    private CompletableFuture<?> dispatch(ClientFrame frame) {
        if (frame instanceof ClientFrame.Auth auth) {
            return authFrame(auth);
        }
        SessionIdentity who = session.identity();
        if (who == null) {
            session.send(ServerFrame.Error.of(frame.ref(), null, ErrorCode.BAD_REQUEST,
                    "authenticate first with an auth frame"));
            return DONE;
        }
        return deps.commands().handle(session, who, frame);
    }

    /** Passes the frame through the rate limits; a refused frame is answered here and goes no further. */
    private boolean admitted(String ref, String id) {
        SessionIdentity who = session.identity();
        FrameRateLimits.Outcome outcome = rates.admit(who == null ? null : who.userId());
        if (outcome == FrameRateLimits.Outcome.ADMITTED) {
            return true;
        }
        session.send(ServerFrame.Error.of(ref, id, ErrorCode.RATE_LIMITED, "too many frames, slow down"));
        if (outcome == FrameRateLimits.Outcome.CLOSE) {
            log.info("closing a socket that kept sending past its rate limit (user {})",
                    who == null ? "unauthenticated" : who.userId());
            session.close(POLICY, "rate limit exceeded");
        }
        return false;
    }

    private CompletableFuture<?> authFrame(ClientFrame.Auth auth) {
        AuthenticatedDevice device;
        try {
            device = deps.verifier().verify(auth.token());
        } catch (InvalidTokenException e) {
            deps.metrics().authFailure("ws");
            log.debug("auth frame refused: {}", e.getMessage());
            session.close(AUTH_FAILED, "authentication failed: " + e.getMessage());
            return DONE;
        }
        SessionIdentity who = session.identity();
        if (who == null) {
            return authenticate(device, auth.ref());
        } else if (who.userId().equals(device.userId()) && who.deviceId().equals(device.deviceId())) {
            session.extend(device.expiresAt());
            session.send(new ServerFrame.Ok(auth.ref(), null));
        } else {
            session.send(ServerFrame.Error.of(auth.ref(), null, ErrorCode.FORBIDDEN,
                    "the token is for another user or device"));
        }
        return DONE;
    }

    /**
     * Synchronized with {@link #ended()}: a socket closing meanwhile must not leave a session registered.
     * Completes once the answer to {@code ref} is queued.
     */
    private synchronized CompletableFuture<?> authenticate(AuthenticatedDevice device, String ref) {
        if (ended.get()) {
            return DONE;
        }
        cancel(authTimer);
        SessionIdentity who = new SessionIdentity(device.userId(), device.deviceId(), UUID.randomUUID().toString());
        ClientSession current = session;
        current.authenticated(who, device.expiresAt(),
                new AckCoalescer(userSeq -> deps.commands().publishAck(who, userSeq), current::send,
                        deps.timers(), deps.config().ackCoalesce()),
                new TypingThrottle((conversationId, active) -> deps.commands().publishTyping(who, conversationId, active),
                        current::send, deps.timers(), deps.config().typingInterval()));
        // registered before SessionOpened is published: the replay it triggers must find the session here
        if (!deps.registry().register(current, deps.config().limits().maxConnectionsPerUser())) {
            current.close(SessionRegistry.TOO_MANY_CONNECTIONS, "too many connections for this user");
            return DONE;
        }
        registered = true;
        scheduleExpiryCheck(device.expiresAt());
        // The row first: a session the user side knows must have a row for the reaper to find should this
        // process die (guarantee 8); a socket that cannot get one is closed and its client reconnects.
        return deps.directory().opened(who.sessionId(), who.userId(), who.deviceId(), deps.clock().instant())
                .orTimeout(ROW_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .handleAsync((row, error) -> error == null
                        ? publishOpened(current, who, ref)
                        : rowFailed(current, who, error), VIRTUAL_THREADS)
                .thenCompose(answered -> answered);
    }

    /** Synchronized with {@link #ended()}: SessionOpened is either published before SessionClosed, or not at all. */
    private synchronized CompletableFuture<?> publishOpened(ClientSession current, SessionIdentity who, String ref) {
        if (ended.get()) {
            return DONE; // ended while its row was written: the user side never hears of it, the row goes (ended)
        }
        openedPublished = true;
        return deps.sessionEvents().opened(who).whenComplete((written, error) -> {
            if (error != null) {
                // without SessionOpened the user side never replays to this socket: let the client retry
                log.warn("cannot publish SessionOpened for session {}", who.sessionId(), error);
                current.close(INTERNAL, "cannot open the session, please reconnect");
                return;
            }
            current.opened();
            if (ref != null) {
                current.send(new ServerFrame.Ok(ref, null));
            }
        });
    }

    private CompletableFuture<?> rowFailed(ClientSession current, SessionIdentity who, Throwable error) {
        log.warn("cannot write the directory row of session {} in time: closing it ({})", who.sessionId(),
                error.toString());
        current.close(INTERNAL, "cannot open the session now, please reconnect");
        return DONE;
    }

    private void authTimedOut() {
        if (session.identity() == null) {
            session.close(AUTH_TIMEOUT, "no auth frame in time");
        }
    }

    private void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /**
     * Halfway through the idle timeout a quiet client is pinged (a live one answers with a pong, even one that
     * only listens while the server sends a lot); at the timeout it is closed.
     */
    private void checkIdle() {
        if (ended.get()) {
            return;
        }
        long quiet = System.nanoTime() - lastHeardNanos;
        if (quiet >= idleTimeoutNanos) {
            session.close(IDLE, "idle: nothing heard from the client");
            return;
        }
        long half = idleTimeoutNanos / 2;
        if (quiet >= half) {
            session.ping();
            scheduleIdleCheck(idleTimeoutNanos - quiet);
        } else {
            scheduleIdleCheck(half - quiet);
        }
    }

    private void scheduleIdleCheck(long delayNanos) {
        idleTimer = deps.timers().schedule(this::checkIdle, Math.max(1, delayNanos), TimeUnit.NANOSECONDS);
    }

    private void scheduleExpiryCheck(Instant at) {
        long delay = Math.max(0, Duration.between(deps.clock().instant(), at).toMillis());
        expiryTimer = deps.timers().schedule(this::checkExpiry, delay, TimeUnit.MILLISECONDS);
    }

    /** An auth frame may have moved the expiry since this check was scheduled. */
    private void checkExpiry() {
        Instant expiresAt = session.expiresAt();
        if (deps.clock().instant().isBefore(expiresAt)) {
            scheduleExpiryCheck(expiresAt);
        } else {
            session.close(AUTH_FAILED, "token expired");
        }
    }

    /** Once per connection, whoever notices first: the peer's close, an error, or the writer stopping. */
    private synchronized void ended() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        cancel(authTimer);
        cancel(expiryTimer);
        cancel(idleTimer);
        ClientSession current = session;
        if (current == null) {
            return;
        }
        try {
            endSession(current);
        } finally {
            deps.sockets().ended(current);
        }
    }

    /** Stops the writer and, for a registered session, tells the user side it closed. */
    private void endSession(ClientSession current) {
        current.stop();
        SessionIdentity who = current.identity();
        if (registered) {
            deps.registry().unregister(current);
            current.ended(); // the pending ack is produced now, not at the end of its interval
            if (!openedPublished) {
                deps.directory().closed(who.sessionId()); // its row (if written yet) goes: nobody else knows it
                return;
            }
            deps.sessionEvents().closed(who).whenComplete((written, error) -> {
                if (error != null) {
                    // The user side keeps routing to a session that is gone (this node drops those items). The
                    // row stays, so that the reaper publishes SessionClosed once this incarnation is gone.
                    log.warn("cannot publish SessionClosed for session {}", who.sessionId(), error);
                } else {
                    deps.directory().closed(who.sessionId());
                }
            });
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
