package io.kchat.gateway.ws;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.websocket.WsRouting;
import io.kchat.events.AssistantStop;
import io.kchat.events.InboundCommand;
import io.kchat.events.Typing;
import io.kchat.events.UserCommand;
import io.kchat.gateway.auth.tokens.AccessTokenVerifier;
import io.kchat.gateway.json.Json;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.limits.KeyedRateLimiter;
import io.kchat.gateway.messages.SendRules;
import io.kchat.gateway.observability.GatewayMetrics;
import io.kchat.gateway.origins.OriginPolicy;
import io.kchat.gateway.origins.OriginRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The {@code /v1/ws} endpoint (docs/api.md, WebSocket): the seam the gateway's Main and the tests wire.
 *
 * <pre>{@code
 * WebServer.builder()
 *     .addProtocol(chat.protocolConfig())               // frame size limit (1009)
 *     .addRouting(chat.routing(WsRouting.builder()))
 *     .routing(http -> chat.httpRouting(http))           // answers refused upgrades with 401/403
 * }</pre>
 */
public final class ChatWebSocket implements AutoCloseable {

    public static final String PATH = "/v1/ws";
    private static final ObjectWriter PROBLEM_WRITER = Json.mapper().writer();
    private static final Problem GOING_AWAY = new Problem(Status.SERVICE_UNAVAILABLE_503.code(),
            "Service Unavailable", "internal", "this server is shutting down; connect to another");

    private final WsConfig config;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor timers;
    private final OpenSockets sockets = new OpenSockets();
    private final UpgradeAuthorization upgrades;
    private final SocketAdmission admission;
    private final ClientSessions sessions;
    private final SessionRegistrar registrar;
    private final ClientFrameParser parser;
    private final ClientCommands commands;
    private final AccessTokenVerifier verifier;
    /** The per-user frame buckets every socket of a user shares. */
    private final KeyedRateLimiter<String> userRates;
    private final GatewayMetrics metrics;
    private final SessionChecks checks;

    /** The topics the endpoint writes to, through the gateway's one producer. */
    public record Publishers(EventPublisher<String, InboundCommand> inbound,
                             EventPublisher<String, UserCommand> userInbound,
                             EventPublisher<String, Typing> typing,
                             EventPublisher<String, AssistantStop> assistantControl) {
    }

    /**
     * @param origins   which pages may open a socket (403 at the upgrade, or 1008 once the TCP peer is known)
     * @param members   who may send {@code typing} or {@code assistant_stop} to a conversation
     * @param sends     what a {@code send} may carry (body or ciphertext) and for whom
     * @param directory where sessions are written once opened and removed once closed
     * @param metrics   where frames, errors, send latencies and the open sockets are counted
     * @param sessionCheck how long a session may wait for the user side before it is checked ({@link SessionChecks})
     */
    public ChatWebSocket(WsConfig config, OriginPolicy origins, AccessTokenVerifier verifier, SessionRegistry registry,
                         Publishers publishers, MembershipCheck members, SendRules sends, SessionDirectory directory,
                         GatewayMetrics metrics, Duration sessionCheck, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.verifier = verifier;
        this.metrics = metrics;
        // timers only flip state, queue a close or start a virtual thread: one platform thread is plenty
        this.timers = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("ws-timers").daemon().factory());
        // a cancelled timer would otherwise stay queued until due, holding its closed socket (buffers included)
        // for up to the token lifetime (the expiry check): reconnecting clients would pile up there
        timers.setRemoveOnCancelPolicy(true);
        this.upgrades = new UpgradeAuthorization(verifier, origins);
        this.admission = new SocketAdmission(sockets, upgrades);
        this.sessions = new ClientSessions(config.outboundQueueFrames(), config.pingInterval(), timers, metrics);
        this.parser = new ClientFrameParser(config.maxBodyChars(), sends.ciphertexts());
        this.commands = new ClientCommands(publishers.inbound(), publishers.userInbound(), publishers.typing(),
                publishers.assistantControl(), members, sends.content(), sends.attachments(), metrics, clock);
        // no key cap: a key is a user with an authenticated socket here, and idle keys are evicted
        this.userRates = new KeyedRateLimiter<>(config.limits().perUser(), Integer.MAX_VALUE, clock);
        SessionEvents sessionEvents = new SessionEvents(publishers.userInbound(), config.nodeId(),
                directory.incarnation(), clock);
        this.registrar = new SessionRegistrar(registry, config.limits().maxConnectionsPerUser(), directory,
                sessionEvents, new SessionCoalescers(commands, timers, config.ackCoalesce(), config.typingInterval()),
                clock);
        this.checks = new SessionChecks(registry, sessionEvents, sessionCheck, timers);
        metrics.connections(sockets::size, registry::size);
        metrics.sessionChecks(checks::sent);
        checks.start();
    }

    /** Adds the endpoint: one listener per connection. */
    public WsRouting.Builder routing(WsRouting.Builder ws) {
        return ws.endpoint(PATH, this::newListener);
    }

    /**
     * The listener of one new connection, with the connection's own parts of each stage; the fuzz test drives it
     * without a server.
     */
    ChatWsListener newListener() {
        ConnectionTimers connectionTimers = new ConnectionTimers(timers, clock, System::nanoTime, config.authTimeout(),
                config.limits().idleTimeout());
        SessionRegistrar.Registration registration = registrar.forConnection(connectionTimers);
        InboundFrames frames = new InboundFrames(new MessageAssembler(config.maxFrameBytes()),
                new FrameRateLimits(config.limits(), userRates, clock), parser, commands,
                new AuthFrames(verifier, metrics, registration::open), metrics);
        return new ChatWsListener(admission, sessions, connectionTimers, registration, frames);
    }

    /** Helidon hands a refused upgrade (or a plain GET) to the HTTP routing: this answers it as problem JSON. */
    public HttpRouting.Builder httpRouting(HttpRouting.Builder http) {
        return http.get(PATH, this::answerWithoutUpgrade);
    }

    /** The WebSocket protocol settings of the listener: the frame size limit the server enforces (1009). */
    public io.helidon.webserver.websocket.WsConfig protocolConfig() {
        return io.helidon.webserver.websocket.WsConfig.builder()
                .maxFrameLength(config.maxFrameBytes())
                .build();
    }

    /**
     * Shutdown, before the producer closes: no new socket, the frames taken answered, every socket closed with
     * 1001 and its session ended (see {@link OpenSockets}), in about {@code timeout} at most.
     */
    public DrainReport drain(Duration timeout) throws InterruptedException {
        return sockets.drain(timeout);
    }

    /** Stops the timers; after {@link #drain}. */
    @Override
    public void close() {
        checks.close();
        timers.shutdownNow();
    }

    private void answerWithoutUpgrade(ServerRequest request, ServerResponse response) throws Exception {
        // the TCP peer is known here: an origin allowed only through forwarded headers is decided at once
        UpgradeAuthorization.Outcome outcome = upgrades.check(
                OriginRequest.of(request.headers()).from(request.remotePeer().address()),
                request.headers().first(HeaderNames.AUTHORIZATION));
        // a draining node refuses upgrades (see SocketAdmission): the client is to try another node
        Problem problem = sockets.isDraining() ? GOING_AWAY : switch (outcome) {
            case UpgradeAuthorization.Refused refused -> new Problem(refused.status(),
                    refused.status() == 401 ? "Unauthorized" : "Forbidden", refused.code(), refused.message());
            case UpgradeAuthorization.Accepted accepted -> new Problem(Status.UPGRADE_REQUIRED_426.code(),
                    "Upgrade Required", "bad_request", "this endpoint speaks WebSocket only");
        };
        if (problem.status() == Status.UNAUTHORIZED_401.code()) {
            response.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        } else if (problem.status() == Status.UPGRADE_REQUIRED_426.code()) {
            response.header(HeaderNames.UPGRADE, "websocket");
        }
        response.status(Status.create(problem.status()))
                .header(HeaderNames.CONTENT_TYPE, "application/problem+json")
                .send(PROBLEM_WRITER.writeValueAsBytes(problem));
    }

    /** RFC 9457 problem JSON with the API's machine-readable code. */
    private record Problem(int status, String title, String code, String detail) {
    }
}
