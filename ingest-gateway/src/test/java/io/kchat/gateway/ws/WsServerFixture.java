package io.kchat.gateway.ws;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import io.kchat.events.Delivery;
import io.kchat.events.SessionRoute;
import io.kchat.events.UserCommand;
import io.kchat.gateway.GatewayConfig;
import io.kchat.gateway.auth.tokens.AccessTokenVerifier;
import io.kchat.gateway.auth.tokens.AuthenticatedDevice;
import io.kchat.gateway.auth.tokens.InvalidTokenException;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.egress.EgressConsumer;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.messages.AttachmentCheck;
import io.kchat.gateway.messages.CiphertextParser;
import io.kchat.gateway.messages.ContentCheck;
import io.kchat.gateway.messages.EncryptionLimits;
import io.kchat.gateway.messages.SendRules;
import io.kchat.gateway.kafka.GatewayProducer;
import io.kchat.gateway.nodes.NodeDirectory;
import io.kchat.gateway.observability.GatewayMetrics;
import io.kchat.gateway.origins.OriginPolicy;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;

/**
 * The endpoint as the gateway wires it, on a real Helidon server, the shared broker (topics under a unique
 * prefix) and a fresh database: what the WebSocket ITs share. Only the token verifier is a double: token
 * {@code token-X} is device {@code dev-X} of user {@code user-X}, and {@code token-X@D} device {@code dev-D} of
 * user {@code user-X}. Tests stand in for the user side and the delivery-service by producing Delivery records
 * straight to this node's egress topic.
 */
final class WsServerFixture implements AutoCloseable {

    static final Duration HEARTBEAT = Duration.ofMillis(200);

    final String node;
    final String incarnation = UUID.randomUUID().toString();
    final TopicCatalogue catalogue;
    final Database database;
    final SessionRegistry registry = new SessionRegistry();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final String bootstrap;
    private final Admin admin;
    private final Producer<byte[], byte[]> producer;
    private final NodeDirectory nodes;
    private final ChatWebSocket chat;
    private final EgressConsumer egress;
    private final WebServer server;

    private WsServerFixture(String name, UnaryOperator<WsConfig> settings, Duration sessionCheck) {
        this(name, settings, sessionCheck, Set.of());
    }

    /** @param trustedProxies peers whose forwarded headers describe the gateway's own origin (none by default) */
    private WsServerFixture(String name, UnaryOperator<WsConfig> settings, Duration sessionCheck,
                            Set<String> trustedProxies) {
        node = "node-" + name;
        bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        catalogue = new TopicCatalogue(SharedInfrastructure.uniquePrefix(name));
        var postgres = SharedInfrastructure.postgres();
        database = Database.start(SharedInfrastructure.freshDatabase(name), postgres.user(), postgres.password(), 4);
        admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
        TopicProvisioner provisioner = new TopicProvisioner(admin, (short) 1);
        provisioner.ensure(catalogue.shared());
        producer = GatewayProducer.create(bootstrap, name);
        nodes = NodeDirectory.start(database, node, incarnation, HEARTBEAT, registry::rowRestored);
        WsConfig config = settings.apply(WsConfig.defaults(node).withAuthTimeout(Duration.ofMillis(1500)));
        chat = new ChatWebSocket(config, new OriginPolicy(config.allowedOrigins(), trustedProxies, false),
                new PatternTokens(), registry,
                new ChatWebSocket.Publishers(new EventPublisher<>(producer, catalogue.inbound()),
                        new EventPublisher<>(producer, catalogue.userInbound()),
                        new EventPublisher<>(producer, catalogue.typing()),
                        new EventPublisher<>(producer, catalogue.assistantControl())),
                new CachedMembership(database, Clock.systemUTC(), config.membershipCacheTtl()),
                new SendRules(new CiphertextParser(EncryptionLimits.DEFAULT), new ContentCheck(database),
                        new AttachmentCheck(database)), nodes,
                new GatewayMetrics(meters, Clock.systemUTC()), sessionCheck, Clock.systemUTC());
        egress = EgressConsumer.start(bootstrap, provisioner, catalogue.egress(node), node, registry);
        server = WebServer.builder()
                .port(0)
                .addProtocol(chat.protocolConfig())
                .addRouting(chat.routing(WsRouting.builder()))
                .routing(chat::httpRouting)
                .build()
                .start();
    }

    static WsServerFixture start(String name, UnaryOperator<WsConfig> settings) {
        return new WsServerFixture(name, settings, GatewayConfig.DEFAULT_SESSION_CHECK);
    }

    /** With sessions checked after {@code sessionCheck} (see {@code SessionChecks}). */
    static WsServerFixture start(String name, UnaryOperator<WsConfig> settings, Duration sessionCheck) {
        return new WsServerFixture(name, settings, sessionCheck);
    }

    /** Behind these proxies (exact IPs, e.g. loopback addresses other than 127.0.0.1), with default settings. */
    static WsServerFixture startBehind(String name, Set<String> trustedProxies) {
        return new WsServerFixture(name, UnaryOperator.identity(), GatewayConfig.DEFAULT_SESSION_CHECK,
                trustedProxies);
    }

    URI url() {
        return URI.create("ws://127.0.0.1:" + server.port() + ChatWebSocket.PATH);
    }

    int port() {
        return server.port();
    }

    WsTestClient connect(String token) {
        return WsTestClient.connect(url(), token);
    }

    WsTestClient connect(String token, String origin) {
        return WsTestClient.connect(url(), token, origin);
    }

    /** Produces the items, in this order, to this node's egress for one session of {@code userId}. */
    void toEgress(String userId, String sessionId, Object... items) throws Exception {
        EventPublisher<String, Delivery> publisher = new EventPublisher<>(producer, catalogue.egress(node));
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (Object item : items) {
            // one partition, one idempotent producer: the records keep this order
            sent.add(publisher.publish(userId, new Delivery(userId, List.of(new SessionRoute(node, sessionId)), item)));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    /** A record no schema can read, e.g. an item of a newer gateway's schema. */
    void rawToEgress(byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(catalogue.egress(node).name(), "x".getBytes(), value)).get(10, TimeUnit.SECONDS);
    }

    <T> T awaitUserCommand(String userId, Class<T> type) {
        ConsumerRecord<String, UserCommand> record = readUntil(catalogue.userInbound(),
                r -> r.key().equals(userId) && type.isInstance(r.value().getCommand())).getLast();
        return type.cast(record.value().getCommand());
    }

    /** Reads the topic from its start until a record matches {@code last}; returns every record seen then. */
    <V> List<ConsumerRecord<String, V>> readUntil(Topic<String, V> topic, Predicate<ConsumerRecord<String, V>> last) {
        List<ConsumerRecord<String, V>> seen = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Awaitility.await().atMost(WsTestClient.WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream().anyMatch(last);
            });
        }
        int end = 0;
        while (!last.test(seen.get(end))) {
            end++;
        }
        return seen.subList(0, end + 1);
    }

    /** A group conversation with these members, written as REST would (users created when missing). */
    void conversation(String conversationId, String... userIds) {
        Instant now = Instant.now();
        database.inTransaction(connection -> {
            try (PreparedStatement user = connection.prepareStatement(
                    "INSERT INTO users (user_id, display_name, created_at) VALUES (?, ?, now()) ON CONFLICT DO NOTHING");
                 PreparedStatement conversation = connection.prepareStatement(
                         "INSERT INTO conversations (conversation_id, type, title, version, created_at, last_activity_at)"
                                 + " VALUES (?, 'group', 't', 1, now(), now())");
                 PreparedStatement member = connection.prepareStatement(
                         "INSERT INTO conversation_members (conversation_id, user_id, role, joined_at)"
                                 + " VALUES (?, ?, 'member', now())")) {
                conversation.setString(1, conversationId);
                conversation.executeUpdate();
                for (String userId : userIds) {
                    user.setString(1, userId);
                    user.setString(2, userId);
                    user.executeUpdate();
                    member.setString(1, conversationId);
                    member.setString(2, userId);
                    member.executeUpdate();
                }
            }
            return now;
        });
    }

    @Override
    public void close() throws Exception {
        chat.drain(Duration.ofSeconds(5));
        server.stop();
        chat.close();
        egress.close();
        producer.close();
        nodes.close();
        admin.close();
        database.close();
    }

    /**
     * {@code token-X} is device {@code dev-X} of user {@code user-X}, {@code token-X@D} device {@code dev-D} of user
     * {@code user-X}, valid for an hour; anything else is refused.
     */
    private static final class PatternTokens implements AccessTokenVerifier {
        @Override
        public AuthenticatedDevice verify(String token) throws InvalidTokenException {
            if (!token.startsWith("token-")) {
                throw new InvalidTokenException("unknown token");
            }
            String name = token.substring("token-".length());
            int at = name.indexOf('@');
            String user = at < 0 ? name : name.substring(0, at);
            String device = at < 0 ? name : name.substring(at + 1);
            return new AuthenticatedDevice("user-" + user, "dev-" + device, Instant.now().plus(Duration.ofHours(1)));
        }
    }
}
