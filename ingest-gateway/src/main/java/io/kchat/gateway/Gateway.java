package io.kchat.gateway;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.socket.SocketOptions;
import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import io.kchat.events.InboundCommand;
import io.kchat.events.UserCommand;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.egress.EgressConsumer;
import io.kchat.gateway.http.AuthRateLimitFilter;
import io.kchat.gateway.http.CorsFilter;
import io.kchat.gateway.http.RequestGate;
import io.kchat.gateway.http.UndecodableBodies;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.kafka.GatewayProducer;
import io.kchat.gateway.media.Media;
import io.kchat.gateway.media.MediaMeters;
import io.kchat.gateway.nodes.NodeDirectory;
import io.kchat.gateway.observability.GatewayMetrics;
import io.kchat.gateway.observability.HttpErrorMetrics;
import io.kchat.gateway.observability.RequestCorrelation;
import io.kchat.gateway.origins.OriginPolicy;
import io.kchat.gateway.ws.CachedMembership;
import io.kchat.gateway.ws.ChatWebSocket;
import io.kchat.gateway.ws.DrainReport;
import io.kchat.gateway.ws.SessionRegistry;
import io.kchat.gateway.ws.SessionRevoker;
import io.kchat.observability.CheckResult;
import io.kchat.observability.Checks;
import io.kchat.observability.Health;
import io.kchat.observability.HealthRoutes;
import io.kchat.observability.MetricsRoutes;
import io.kchat.observability.PrometheusMetrics;
import io.kchat.schemas.PushEndpoints;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway node: database, node directory, producer, egress consumer, REST and WebSocket on one
 * port (HTTPS and WSS when given a certificate), with its health ({@code /health}, {@code /health/live},
 * {@code /health/ready}: Kafka and PostgreSQL reachable, egress consumer alive) and Prometheus metrics
 * ({@code /metrics}) on the same port. The composition root: everything is wired here through constructors.
 */
public final class Gateway implements AutoCloseable {

    /**
     * Options of every accepted socket. TCP_NODELAY: with Nagle's algorithm a frame written right after another
     * (the echo of a message after its {@code ok}) waited for the client's delayed ACK of the first, up to 40 ms
     * on Linux; measured in the bench as send->echo p50 44 ms against 17 ms without. Frames are whole messages,
     * so nothing is gained by holding them back.
     */
    static final Consumer<SocketOptions.Builder> CLIENT_SOCKETS = socket -> socket.tcpNoDelay(true);

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final String nodeId;
    private final Duration drainTimeout;
    private final RequestGate requests;
    private final Database database;
    private final NodeDirectory nodes;
    private final Producer<byte[], byte[]> producer;
    private final ChatWebSocket chat;
    private final EgressConsumer egress;
    private final WebServer server;
    private final String incarnation;
    private final Ops ops;
    private final Media media;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * What the node has for operations: its health, the Admin client its Kafka check asks, and what to close last
     * (the Kafka client meters, and the registry when the node made it).
     */
    private record Ops(Health health, Admin admin, List<AutoCloseable> meters) {
    }

    private Gateway(GatewayConfig config, RequestGate requests, Database database, NodeDirectory nodes,
                    Producer<byte[], byte[]> producer, ChatWebSocket chat, EgressConsumer egress, WebServer server,
                    String incarnation, Ops ops, Media media) {
        this.nodeId = config.nodeId();
        this.drainTimeout = config.shutdownDrain();
        this.requests = requests;
        this.database = database;
        this.nodes = nodes;
        this.producer = producer;
        this.chat = chat;
        this.egress = egress;
        this.server = server;
        this.incarnation = incarnation;
        this.ops = ops;
        this.media = media;
    }

    /** A node with a registry and health of its own, as Main starts it. */
    public static Gateway start(GatewayConfig config, Clock clock) {
        PrometheusMetrics metrics = PrometheusMetrics.start();
        try {
            return start(config, clock, metrics.registry(), new Health(), metrics);
        } catch (RuntimeException | Error e) {
            metrics.close();
            throw e;
        }
    }

    /**
     * A node that reports into the process's registry and health: the all-in-one launcher runs the three services
     * in one JVM and shows all of them on this node's {@code /metrics} and {@code /health}.
     */
    public static Gateway start(GatewayConfig config, Clock clock, PrometheusMeterRegistry registry, Health health) {
        return start(config, clock, registry, health, () -> { });
    }

    private static Gateway start(GatewayConfig config, Clock clock, PrometheusMeterRegistry registry, Health health,
                                 AutoCloseable ownedMetrics) {
        GatewayMetrics metrics = new GatewayMetrics(registry, clock);
        TopicCatalogue topics = new TopicCatalogue(config.topicPrefix(), config.messageRetention());
        Database database = Database.start(config.databaseUrl(), config.databaseUser(), config.databasePassword());
        Producer<byte[], byte[]> producer = GatewayProducer.create(config.bootstrapServers(), "gateway-" + config.nodeId(),
                config.linger());
        EventPublisher<String, InboundCommand> inbound = new EventPublisher<>(producer, topics.inbound());
        EventPublisher<String, UserCommand> userInbound = new EventPublisher<>(producer, topics.userInbound());

        SessionRegistry sessions = new SessionRegistry();
        // one process lifetime of the node id: tells the reaper this run's sessions from a crashed run's
        String incarnation = UUID.randomUUID().toString();
        NodeDirectory nodes = NodeDirectory.start(database, config.nodeId(), incarnation, config.nodeHeartbeat(),
                sessions::rowRestored);
        Media media = Media.start(config.media(), database, new MediaMeters(registry), clock);
        RestDependencies rest = RestDependencies.create(database, config.auth(), config.otp(), config.conversations(),
                config.contacts(), config.push(), PushEndpoints.Resolver.SYSTEM, clock, inbound, userInbound, new SessionRevoker(sessions, userInbound, clock))
                .withMedia(media);
        // the proxies whose X-Forwarded-For is believed are the ones whose forwarded origin is
        OriginPolicy origins = new OriginPolicy(config.ws().allowedOrigins(), config.auth().trustedProxies(),
                config.tls().isPresent());
        ChatWebSocket chat = new ChatWebSocket(config.ws(), origins, rest.accessTokens(), sessions,
                new ChatWebSocket.Publishers(inbound, userInbound, new EventPublisher<>(producer, topics.typing()),
                        new EventPublisher<>(producer, topics.assistantControl())),
                new CachedMembership(database, clock, config.ws().membershipCacheTtl()), rest.sends(), nodes, metrics,
                config.sessionCheck(), clock);

        // kept open after provisioning: the readiness check asks the cluster through it
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()));
        TopicProvisioner provisioner = new TopicProvisioner(admin, config.replicationFactor());
        provisioner.ensure(topics.shared());
        // The egress is read from its end before the port opens, so no session can miss its replay.
        EgressConsumer egress = EgressConsumer.start(config.bootstrapServers(), provisioner,
                topics.egress(config.nodeId()), config.nodeId(), sessions);
        Ops ops = new Ops(health, admin, meters(registry, ownedMetrics, new KafkaClientMetrics(producer),
                egress.clientMetrics()));
        health.liveness("egress", () -> egress.isAlive() ? CheckResult.healthy()
                        : CheckResult.unhealthy("egress consumer stopped: this node's sockets get no events"))
                .readiness("kafka", Checks.kafka(admin))
                .readiness("database", () -> database.withConnection(Checks::valid));

        // probes and scrapes: answered while draining, and not counted as API errors
        Set<String> opsPaths = Stream.concat(HealthRoutes.PATHS.stream(), Stream.of(MetricsRoutes.PATH))
                .collect(Collectors.toUnmodifiableSet());
        RequestGate requests = new RequestGate(opsPaths);
        metrics.httpRequests(requests::inProgress);
        WebServerConfig.Builder builder = WebServer.builder()
                .host(config.bindAddress())
                .port(config.port())
                // Helidon's own hook would stop the server at SIGTERM beside ours, cutting sockets (1006) before
                // they are drained: close() stops it, after the drain
                .shutdownHook(false)
                .connectionOptions(CLIENT_SOCKETS)
                .addProtocol(chat.protocolConfig())
                .addRouting(chat.routing(WsRouting.builder()))
                .routing(http -> chat.httpRouting(RestApi.routing(edge(http
                                .addFilter(new RequestCorrelation())
                                .addFilter(new HttpErrorMetrics(metrics, opsPaths))
                                .addFilter(requests)
                                // before the limits: a preflight is no login attempt
                                .addFilter(new CorsFilter(origins)), config, clock), rest))
                        .register(new HealthRoutes(health), new MetricsRoutes(registry)));
        config.tls().ifPresent(files -> builder.tls(tls(files)));
        WebServer server = builder.build().start();
        health.serving();
        log.info("gateway node {} (incarnation {}) listening on port {} ({})", config.nodeId(), incarnation,
                server.port(), config.tls().isPresent() ? "https, wss" : "http, ws");
        return new Gateway(config, requests, database, nodes, producer, chat, egress, server, incarnation, ops, media);
    }

    /** Binds the Kafka clients' meters; returns what to close at the end, the registry last. */
    private static List<AutoCloseable> meters(PrometheusMeterRegistry registry, AutoCloseable ownedMetrics,
                                              KafkaClientMetrics... clients) {
        List<AutoCloseable> meters = new ArrayList<>();
        for (KafkaClientMetrics client : clients) {
            client.bindTo(registry);
            meters.add(client);
        }
        meters.add(ownedMetrics);
        return meters;
    }


    public int port() {
        return server.port();
    }

    /** What the HTTP edge adds to the API's own routing against hostile input. */
    private static HttpRouting.Builder edge(HttpRouting.Builder http, GatewayConfig config, Clock clock) {
        http.addFilter(new AuthRateLimitFilter(config.authRatePerIp(), config.authMaxTrackedIps(), clock));
        return UndecodableBodies.register(http);
    }

    /** Helidon reads the PEM files once, at start: a renewed certificate takes a restart (or a rolling one). */
    private static Tls tls(GatewayConfig.TlsFiles files) {
        Keys keys = Keys.builder()
                .pem(pem -> pem.key(Resource.create(files.privateKey()))
                        .certChain(Resource.create(files.certificateChain())))
                .build();
        return Tls.builder()
                .privateKey(keys)
                .privateKeyCertChain(keys)
                .build();
    }

    /** This process's incarnation of its node id, as written in {@code nodes} and {@code sessions}. */
    public String incarnation() {
        return incarnation;
    }

    /**
     * Drains (SIGTERM), each phase bounded and logged:
     * <ol>
     *   <li>{@code /health/ready} answers 503 from now on, and new requests and upgrades are answered 503, so that
     *       clients and load balancers go to another node ({@code /health/*} and {@code /metrics} stay open until
     *       the server stops);</li>
     *   <li>the sockets: frames taken are answered, new ones refused, each socket closed with 1001 and its
     *       session ended, SessionClosed handed to the producer (within SHUTDOWN_DRAIN);</li>
     *   <li>requests in progress finish (within what is left of it);</li>
     *   <li>the server stops, then the egress consumer: nothing can hand the producer work any more;</li>
     *   <li>the producer flushes what it holds (SessionClosed, pending acks) and closes. An {@code ok} was
     *       only ever sent after the broker acknowledged the write, so nothing acknowledged waits here;</li>
     *   <li>the directory writes the rows of the sessions closed and removes the node: its users stop counting
     *       as online at once (a session not known closed is left to the reaper).</li>
     * </ol>
     */
    @Override
    public void close() throws Exception {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        ops.health().draining();
        log.info("node {} draining: new requests and sockets refused, {} for what is in progress", nodeId,
                drainTimeout);
        requests.close();
        DrainReport sockets = chat.drain(drainTimeout);
        log.info("node {}: {} sockets closed with 1001 in {} ms; {} frames were in flight, {} left unanswered; "
                        + "{} sockets cut at the timeout, {} not ended", nodeId, sockets.sockets(),
                sockets.took().toMillis(), sockets.framesInFlight(), sockets.framesUnanswered(), sockets.cut(),
                sockets.left());
        Duration left = drainTimeout.minus(Duration.ofNanos(System.nanoTime() - started));
        if (!requests.awaitIdle(left.isNegative() ? Duration.ZERO : left)) {
            log.warn("node {}: {} HTTP requests still in progress when the server stops", nodeId,
                    requests.inProgress());
        }
        server.stop();
        chat.close();
        egress.close();
        long flushStarted = System.nanoTime();
        producer.close(drainTimeout);
        log.info("node {}: producer flushed and closed in {} ms", nodeId, millisSince(flushStarted));
        nodes.close();
        media.close();
        database.close();
        ops.admin().close();
        for (AutoCloseable meters : ops.meters()) {
            meters.close();
        }
        log.info("node {} stopped, drained in {} ms", nodeId, millisSince(started));
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
