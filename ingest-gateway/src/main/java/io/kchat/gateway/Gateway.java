package io.kchat.gateway;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import io.kchat.events.InboundCommand;
import io.kchat.events.UserCommand;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.egress.EgressConsumer;
import io.kchat.gateway.http.RestApi;
import io.kchat.gateway.http.RestDependencies;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.kafka.GatewayProducer;
import io.kchat.gateway.ws.ChatWebSocket;
import io.kchat.gateway.ws.SessionRegistry;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running gateway node: database, producer, egress consumer, REST and WebSocket on one port. */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final Database database;
    private final Producer<byte[], byte[]> producer;
    private final SessionRegistry sessions;
    private final ChatWebSocket chat;
    private final EgressConsumer egress;
    private final WebServer server;

    private Gateway(Database database, Producer<byte[], byte[]> producer, SessionRegistry sessions,
                    ChatWebSocket chat, EgressConsumer egress, WebServer server) {
        this.database = database;
        this.producer = producer;
        this.sessions = sessions;
        this.chat = chat;
        this.egress = egress;
        this.server = server;
    }

    public static Gateway start(GatewayConfig config, Clock clock) {
        TopicCatalogue topics = new TopicCatalogue(config.topicPrefix());
        Database database = Database.start(config.databaseUrl(), config.databaseUser(), config.databasePassword());
        Producer<byte[], byte[]> producer = GatewayProducer.create(config.bootstrapServers(), "gateway-" + config.nodeId());
        EventPublisher<String, InboundCommand> inbound = new EventPublisher<>(producer, topics.inbound());
        EventPublisher<String, UserCommand> userInbound = new EventPublisher<>(producer, topics.userInbound());

        SessionRegistry sessions = new SessionRegistry();
        RestDependencies rest = RestDependencies.create(database, config.auth(), config.conversations(), clock, inbound, userInbound,
                (userId, deviceId) -> sessions.closeDevice(userId, deviceId, SessionRegistry.REVOKED, "session revoked"));
        ChatWebSocket chat = new ChatWebSocket(config.ws(), rest.accessTokens(), sessions, inbound, userInbound, clock);

        EgressConsumer egress;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, config.replicationFactor());
            provisioner.ensure(topics.shared());
            // The egress is read from its end before the port opens, so no session can miss its replay.
            egress = EgressConsumer.start(config.bootstrapServers(), provisioner, topics.egress(config.nodeId()),
                    config.nodeId(), sessions);
        }
        WebServer server = WebServer.builder()
                .host(config.bindAddress())
                .port(config.port())
                .addProtocol(chat.protocolConfig())
                .addRouting(chat.routing(WsRouting.builder()))
                .routing(http -> chat.httpRouting(RestApi.routing(http, rest)))
                .build()
                .start();
        log.info("gateway node {} listening on port {}", config.nodeId(), server.port());
        return new Gateway(database, producer, sessions, chat, egress, server);
    }

    public int port() {
        return server.port();
    }

    /** Drains: tells clients to reconnect elsewhere (1001), stops the port, flushes what was accepted. */
    @Override
    public void close() throws Exception {
        sessions.closeAll(SessionRegistry.GOING_AWAY);
        server.stop();
        chat.close();
        egress.close();
        producer.close(); // waits for every send in flight
        database.close();
    }
}
