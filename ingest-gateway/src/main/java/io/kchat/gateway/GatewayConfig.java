package io.kchat.gateway;

import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.conversations.ConversationConfig;
import io.kchat.gateway.limits.RateLimit;
import io.kchat.gateway.otp.OtpConfig;
import io.kchat.gateway.ws.WsConfig;
import io.kchat.schemas.ProducerLinger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Settings of one gateway node: KAFKA_BOOTSTRAP_SERVERS, KAFKA_REPLICATION_FACTOR, KAFKA_LINGER_MS (1: how long the
 * producer waits to fill a batch, see {@link ProducerLinger}), CHAT_TOPIC_PREFIX,
 * DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, CHAT_PORT (8080), CHAT_BIND_ADDRESS (0.0.0.0),
 * CHAT_NODE_ID (gw-random), NODE_HEARTBEAT_MS (5000: how often the node's row in {@code nodes} is beaten on
 * the database clock; the delivery-service's expiry must be a few beats longer), WS_SESSION_CHECK_MS (30000: a
 * session that waited this long for the user side is checked, see {@code SessionChecks}), JWT_ISSUER, plus the
 * WebSocket settings of {@link WsConfig#fromEnv}, whose defaults live there: among them WS_ACK_COALESCE_MS
 * (200; 0 produces every ack), WS_TYPING_INTERVAL_MS (1000: typing notices forwarded per session and
 * conversation) and WS_MEMBERSHIP_CACHE_MS (5000: membership answers reused for typing), and the connection
 * limits of {@code ConnectionLimits#fromEnv}.
 *
 * <p>Hostile input at the HTTP edge: AUTH_RATE_PER_IP (1 request per second, fractions allowed) and
 * AUTH_RATE_PER_IP_BURST (60) limit login, register, refresh and OTP calls per client address;
 * AUTH_RATE_MAX_TRACKED_IPS (100000) bounds the addresses remembered.
 *
 * <p>TLS: with TLS_CERT_FILE (PEM certificate chain, the server's certificate first) and TLS_KEY_FILE (its PEM
 * private key, unencrypted PKCS#8 {@code BEGIN PRIVATE KEY} or PKCS#1 {@code BEGIN RSA PRIVATE KEY}) the port
 * serves HTTPS and WSS only; without both it serves plain HTTP and WS (behind a TLS-terminating proxy).
 *
 * <p>Shutdown (SIGTERM): SHUTDOWN_DRAIN_MS (10000) bounds the drain, the wait for the frames and requests in
 * progress to be answered and for every socket to close with 1001; the producer then gets as long again to
 * flush (see {@link Gateway#close()}).
 */
public record GatewayConfig(
        String bootstrapServers,
        short replicationFactor,
        Duration linger,
        String topicPrefix,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        String bindAddress,
        int port,
        String nodeId,
        Duration nodeHeartbeat,
        Duration sessionCheck,
        AuthConfig auth,
        OtpConfig otp,
        ConversationConfig conversations,
        WsConfig ws,
        RateLimit authRatePerIp,
        int authMaxTrackedIps,
        Optional<TlsFiles> tls,
        Duration shutdownDrain) {

    public static final Duration DEFAULT_NODE_HEARTBEAT = Duration.ofSeconds(5);
    /**
     * How long a session may wait for the user side before it is checked (the safety net of session routing,
     * docs/behaviour.md): an idle socket costs one SessionCheck record per interval, so this is what the net costs.
     */
    public static final Duration DEFAULT_SESSION_CHECK = Duration.ofSeconds(30);
    /** Below this a check would mostly catch events still on their way (the live path takes milliseconds). */
    public static final Duration MIN_SESSION_CHECK = Duration.ofMillis(500);
    /**
     * Generous for people behind one NAT (and for test suites that register a few dozen users at once); a password
     * guesser gets ~1 try a second per address once the burst is spent.
     */
    public static final RateLimit DEFAULT_AUTH_RATE_PER_IP = new RateLimit(1, 60);
    public static final int DEFAULT_AUTH_MAX_TRACKED_IPS = 100_000;
    /**
     * Within a usual orchestrator grace period (Kubernetes: 30 s) with room for the producer's flush after it; a
     * send is answered within a broker round trip, and a socket closes as soon as its close frame is written.
     */
    public static final Duration DEFAULT_SHUTDOWN_DRAIN = Duration.ofSeconds(10);

    /** PEM files of the server's certificate chain and private key. */
    public record TlsFiles(Path certificateChain, Path privateKey) {
        public TlsFiles {
            for (Path file : new Path[] {certificateChain, privateKey}) {
                if (!Files.isReadable(file)) {
                    throw new IllegalArgumentException("TLS file not readable: " + file);
                }
            }
        }
    }

    public GatewayConfig {
        ProducerLinger.require(linger);
        if (nodeHeartbeat == null || nodeHeartbeat.isNegative() || nodeHeartbeat.isZero()) {
            throw new IllegalArgumentException("NODE_HEARTBEAT_MS must be positive");
        }
        if (sessionCheck == null || sessionCheck.compareTo(MIN_SESSION_CHECK) < 0) {
            throw new IllegalArgumentException("WS_SESSION_CHECK_MS must be at least " + MIN_SESSION_CHECK.toMillis());
        }
        if (authRatePerIp == null || authMaxTrackedIps < 1) {
            throw new IllegalArgumentException("AUTH_RATE_PER_IP and AUTH_RATE_MAX_TRACKED_IPS must be positive");
        }
        if (tls == null) {
            throw new IllegalArgumentException("tls must be present or empty, not null");
        }
        if (shutdownDrain == null || shutdownDrain.isNegative() || shutdownDrain.isZero()) {
            throw new IllegalArgumentException("SHUTDOWN_DRAIN_MS must be positive");
        }
    }

    public static GatewayConfig fromEnv(Map<String, String> env) {
        String nodeId = env.getOrDefault("CHAT_NODE_ID", "gw-" + UUID.randomUUID().toString().substring(0, 8));
        if (!nodeId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("CHAT_NODE_ID must be 1-64 of [A-Za-z0-9._-]: it names a topic");
        }
        String databaseUrl = env.get("DATABASE_URL");
        if (databaseUrl == null) {
            throw new IllegalArgumentException("DATABASE_URL is required (a JDBC URL, e.g. jdbc:postgresql://host:5432/kchat)");
        }
        return new GatewayConfig(
                env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                Short.parseShort(env.getOrDefault("KAFKA_REPLICATION_FACTOR", "1")),
                ProducerLinger.of(env.get("KAFKA_LINGER_MS")),
                env.getOrDefault("CHAT_TOPIC_PREFIX", ""),
                databaseUrl,
                env.getOrDefault("DATABASE_USER", "postgres"),
                env.getOrDefault("DATABASE_PASSWORD", ""),
                env.getOrDefault("CHAT_BIND_ADDRESS", "0.0.0.0"),
                Integer.parseInt(env.getOrDefault("CHAT_PORT", "8080")),
                nodeId,
                env.containsKey("NODE_HEARTBEAT_MS")
                        ? Duration.ofMillis(Long.parseLong(env.get("NODE_HEARTBEAT_MS").trim()))
                        : DEFAULT_NODE_HEARTBEAT,
                env.containsKey("WS_SESSION_CHECK_MS")
                        ? Duration.ofMillis(Long.parseLong(env.get("WS_SESSION_CHECK_MS").trim()))
                        : DEFAULT_SESSION_CHECK,
                AuthConfig.fromEnv(env),
                OtpConfig.fromEnv(env),
                ConversationConfig.fromEnv(env),
                WsConfig.fromEnv(env, nodeId),
                RateLimit.fromEnv(env, "AUTH_RATE_PER_IP", DEFAULT_AUTH_RATE_PER_IP),
                env.containsKey("AUTH_RATE_MAX_TRACKED_IPS")
                        ? Integer.parseInt(env.get("AUTH_RATE_MAX_TRACKED_IPS").trim())
                        : DEFAULT_AUTH_MAX_TRACKED_IPS,
                tlsFromEnv(env),
                env.containsKey("SHUTDOWN_DRAIN_MS")
                        ? Duration.ofMillis(Long.parseLong(env.get("SHUTDOWN_DRAIN_MS").trim()))
                        : DEFAULT_SHUTDOWN_DRAIN);
    }

    private static Optional<TlsFiles> tlsFromEnv(Map<String, String> env) {
        String certificate = env.get("TLS_CERT_FILE");
        String key = env.get("TLS_KEY_FILE");
        if (certificate == null && key == null) {
            return Optional.empty();
        }
        if (certificate == null || key == null) {
            // half a TLS setup must not quietly serve plain HTTP
            throw new IllegalArgumentException("TLS_CERT_FILE and TLS_KEY_FILE go together: set both or neither");
        }
        return Optional.of(new TlsFiles(Path.of(certificate.trim()), Path.of(key.trim())));
    }
}
