package io.kchat.gateway;

import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.contacts.ContactsConfig;
import io.kchat.gateway.conversations.ConversationConfig;
import io.kchat.gateway.limits.RateLimit;
import io.kchat.gateway.limits.RateLimitSetting;
import io.kchat.gateway.media.MediaConfig;
import io.kchat.gateway.messages.EncryptionLimits;
import io.kchat.gateway.messages.MessageLimits;
import io.kchat.gateway.otp.OtpConfig;
import io.kchat.gateway.push.PushConfig;
import io.kchat.gateway.ws.WsConfig;
import io.kchat.observability.LogFormat;
import io.kchat.settings.Durations;
import io.kchat.settings.ProducerLinger;
import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import io.kchat.settings.SharedSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Settings of one gateway node, each declared once below (and in the feature configurations it is made of) and listed
 * by {@link #settings()}; docs/configuration.md gives their meaning at length. NODE_HEARTBEAT is beaten on the
 * database clock: the delivery-service's NODE_EXPIRY must be a few beats longer. WS_SESSION_CHECK is the safety net
 * of session routing ({@code SessionChecks}).
 *
 * <p>TLS: with TLS_CERT_FILE (PEM certificate chain, the server's certificate first) and TLS_KEY_FILE (its PEM
 * private key, unencrypted PKCS#8 {@code BEGIN PRIVATE KEY} or PKCS#1 {@code BEGIN RSA PRIVATE KEY}) the port
 * serves HTTPS and WSS only; without both it serves plain HTTP and WS (behind a TLS-terminating proxy).
 *
 * <p>Shutdown (SIGTERM): SHUTDOWN_DRAIN (10s) bounds the drain, the wait for the frames and requests in
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
        ContactsConfig contacts,
        WsConfig ws,
        RateLimit authRatePerIp,
        int authMaxTrackedIps,
        Optional<TlsFiles> tls,
        Duration shutdownDrain,
        Duration messageRetention,
        MediaConfig media,
        PushConfig push) {

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
            throw new IllegalArgumentException("NODE_HEARTBEAT must be positive");
        }
        if (sessionCheck == null || sessionCheck.compareTo(MIN_SESSION_CHECK) < 0) {
            throw new IllegalArgumentException("WS_SESSION_CHECK must be at least " + Durations.format(MIN_SESSION_CHECK));
        }
        if (authRatePerIp == null || authMaxTrackedIps < 1) {
            throw new IllegalArgumentException("AUTH_RATE_PER_IP and AUTH_RATE_MAX_TRACKED_IPS must be positive");
        }
        if (tls == null) {
            throw new IllegalArgumentException("tls must be present or empty, not null");
        }
        if (media == null) {
            throw new IllegalArgumentException("media must be set");
        }
        if (push == null) {
            throw new IllegalArgumentException("push must be set");
        }
        if (shutdownDrain == null || shutdownDrain.isNegative() || shutdownDrain.isZero()) {
            throw new IllegalArgumentException("SHUTDOWN_DRAIN must be positive");
        }
    }

    public static final Setting<String> BIND_ADDRESS = Setting.text("CHAT_BIND_ADDRESS", "0.0.0.0",
            "address the port listens on");
    public static final Setting<Integer> PORT = Setting.integer("CHAT_PORT", 8080,
            "HTTP and WebSocket port (HTTPS and WSS with TLS_CERT_FILE)");
    public static final Setting<String> NODE_ID = Setting.computedText("CHAT_NODE_ID", "`gw-` + 8 random hex digits",
            "this node: names its egress topic").deploy();
    public static final Setting<Duration> NODE_HEARTBEAT = Setting.duration("NODE_HEARTBEAT", DEFAULT_NODE_HEARTBEAT,
                    "how often the node's row in nodes is beaten")
            .formerlyIn(ChronoUnit.MILLIS);
    public static final Setting<Duration> SESSION_CHECK = Setting.duration("WS_SESSION_CHECK", DEFAULT_SESSION_CHECK,
                    "a session that waited this long for the user side is checked")
            .formerlyIn(ChronoUnit.MILLIS);
    public static final RateLimitSetting AUTH_RATE_PER_IP = RateLimitSetting.of("AUTH_RATE_PER_IP",
            DEFAULT_AUTH_RATE_PER_IP, "login, register, refresh and OTP calls per client address");
    public static final Setting<Integer> AUTH_MAX_TRACKED_IPS = Setting.integer("AUTH_RATE_MAX_TRACKED_IPS",
            DEFAULT_AUTH_MAX_TRACKED_IPS, "client addresses whose rate is remembered");
    public static final Setting<Path> TLS_CERT_FILE = Setting.optionalPath("TLS_CERT_FILE", "plain HTTP",
            "PEM certificate chain, the server's certificate first");
    public static final Setting<Path> TLS_KEY_FILE = Setting.optionalPath("TLS_KEY_FILE", "",
            "PEM private key of TLS_CERT_FILE");
    public static final Setting<Duration> SHUTDOWN_DRAIN = Setting.duration("SHUTDOWN_DRAIN", DEFAULT_SHUTDOWN_DRAIN,
                    "bound on the drain at SIGTERM")
            .formerlyIn(ChronoUnit.MILLIS);

    /** Every setting of the gateway, declared once each: docs/configuration.md is checked against this list. */
    public static List<Setting<?>> settings() {
        List<Setting<?>> all = new ArrayList<>(List.of(SharedSettings.KAFKA_BOOTSTRAP_SERVERS,
                SharedSettings.KAFKA_REPLICATION_FACTOR, SharedSettings.MESSAGE_RETENTION, ProducerLinger.SETTING,
                SharedSettings.CHAT_TOPIC_PREFIX,
                SharedSettings.DATABASE_URL, SharedSettings.DATABASE_USER, SharedSettings.DATABASE_PASSWORD, LogFormat.SETTING,
                BIND_ADDRESS, PORT, NODE_ID, NODE_HEARTBEAT, SESSION_CHECK, AUTH_MAX_TRACKED_IPS, TLS_CERT_FILE,
                TLS_KEY_FILE, SHUTDOWN_DRAIN, MessageLimits.MAX_BODY_CHARS, ConversationConfig.MAX_GROUP_SIZE,
                EncryptionLimits.MAX_ENVELOPES));
        all.addAll(ConversationConfig.assistantSettings());
        all.addAll(AUTH_RATE_PER_IP.settings());
        all.addAll(AuthConfig.SETTINGS);
        all.addAll(OtpConfig.SETTINGS);
        all.addAll(WsConfig.settings());
        all.addAll(ContactsConfig.settings());
        all.addAll(MediaConfig.settings());
        all.addAll(PushConfig.settings());
        return List.copyOf(all);
    }

    /** For tests and tools: {@link #from} over a map of variables. */
    public static GatewayConfig fromEnv(Map<String, String> env) {
        return from(Settings.of(env));
    }

    public static GatewayConfig from(Settings settings) {
        LogFormat.from(settings); // logback picked its appender by it: refuse a name it lacks
        String nodeId = settings.find(NODE_ID).orElseGet(() -> "gw-" + UUID.randomUUID().toString().substring(0, 8));
        if (!nodeId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("CHAT_NODE_ID must be 1-64 of [A-Za-z0-9._-]: it names a topic");
        }
        int maxBodyChars = settings.get(MessageLimits.MAX_BODY_CHARS);
        return new GatewayConfig(
                settings.get(SharedSettings.KAFKA_BOOTSTRAP_SERVERS),
                SharedSettings.replicationFactor(settings),
                ProducerLinger.from(settings),
                settings.get(SharedSettings.CHAT_TOPIC_PREFIX),
                settings.get(SharedSettings.DATABASE_URL),
                settings.get(SharedSettings.DATABASE_USER),
                settings.get(SharedSettings.DATABASE_PASSWORD),
                settings.get(BIND_ADDRESS),
                settings.get(PORT),
                nodeId,
                settings.get(NODE_HEARTBEAT),
                settings.get(SESSION_CHECK),
                AuthConfig.from(settings),
                OtpConfig.from(settings),
                ConversationConfig.from(settings, maxBodyChars, settings.get(WsConfig.MAX_FRAME_BYTES)),
                ContactsConfig.from(settings),
                WsConfig.from(settings, nodeId, maxBodyChars),
                AUTH_RATE_PER_IP.read(settings),
                settings.get(AUTH_MAX_TRACKED_IPS),
                tls(settings),
                settings.get(SHUTDOWN_DRAIN),
                settings.get(SharedSettings.MESSAGE_RETENTION),
                MediaConfig.from(settings),
                PushConfig.from(settings));
    }

    private static Optional<TlsFiles> tls(Settings settings) {
        Optional<Path> certificate = settings.find(TLS_CERT_FILE);
        Optional<Path> key = settings.find(TLS_KEY_FILE);
        if (certificate.isEmpty() && key.isEmpty()) {
            return Optional.empty();
        }
        if (certificate.isEmpty() || key.isEmpty()) {
            // half a TLS setup must not quietly serve plain HTTP
            throw new IllegalArgumentException("TLS_CERT_FILE and TLS_KEY_FILE go together: set both or neither");
        }
        return Optional.of(new TlsFiles(certificate.get(), key.get()));
    }
}
