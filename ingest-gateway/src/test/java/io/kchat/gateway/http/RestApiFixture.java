package io.kchat.gateway.http;

import io.helidon.webserver.WebServer;
import io.kchat.events.InboundCommand;
import io.kchat.events.UserCommand;
import io.kchat.gateway.RestApi;
import io.kchat.gateway.RestDependencies;
import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.contacts.ContactsConfig;
import io.kchat.gateway.conversations.ConversationConfig;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.kafka.GatewayProducer;
import io.kchat.gateway.otp.OtpConfig;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.Producer;

/**
 * The REST API on a real WebServer (port 0), over its own fresh database on the shared PostgreSQL and
 * its own uniquely prefixed inbound topic on the shared broker.
 */
public final class RestApiFixture implements AutoCloseable {

    /** A device whose session ended, as told to {@code SessionRevocations}. */
    public record Revoked(String userId, String deviceId) {
    }

    public final Database database;
    public final Topic<String, InboundCommand> inboundTopic;
    public final Topic<String, UserCommand> userInboundTopic;
    public final RestDependencies dependencies;
    public final List<Revoked> revoked = new CopyOnWriteArrayList<>();
    public final ApiClient client;
    private final Producer<byte[], byte[]> producer;
    private final WebServer server;

    private RestApiFixture(String name, AuthConfig auth, ConversationConfig conversations, ContactsConfig contacts) {
        String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        var postgres = SharedInfrastructure.postgres();
        this.database = Database.start(SharedInfrastructure.freshDatabase(name), postgres.user(), postgres.password(), 4);
        TopicCatalogue topics = new TopicCatalogue(SharedInfrastructure.uniquePrefix(name));
        this.inboundTopic = topics.inbound();
        this.userInboundTopic = topics.userInbound();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicProvisioner(admin, (short) 1).ensure(List.of(inboundTopic, userInboundTopic));
        }
        this.producer = GatewayProducer.create(bootstrap, name + "-gateway");
        this.dependencies = RestDependencies.create(database, auth, OtpConfig.defaults(), conversations, contacts,
                Clock.systemUTC(),
                new EventPublisher<>(producer, inboundTopic), new EventPublisher<>(producer, userInboundTopic), (user, device) -> revoked.add(new Revoked(user, device)));
        this.server = WebServer.builder()
                .port(0)
                .routing(routing -> RestApi.routing(routing, dependencies))
                .build()
                .start();
        this.client = new ApiClient(server.port());
    }

    public static RestApiFixture start(String name) {
        return new RestApiFixture(name, AuthConfig.defaults(), ConversationConfig.defaults(), ContactsConfig.defaults());
    }

    public static RestApiFixture start(String name, AuthConfig auth) {
        return new RestApiFixture(name, auth, ConversationConfig.defaults(), ContactsConfig.defaults());
    }

    public static RestApiFixture start(String name, ConversationConfig conversations) {
        return new RestApiFixture(name, AuthConfig.defaults(), conversations, ContactsConfig.defaults());
    }

    public static RestApiFixture start(String name, ContactsConfig contacts) {
        return new RestApiFixture(name, AuthConfig.defaults(), ConversationConfig.defaults(), contacts);
    }

    /** Every value keyed {@code key} on the topic so far, in partition order (see {@link TopicRecords}). */
    public <V> List<V> published(Topic<String, V> topic, String key) {
        return TopicRecords.values(bootstrapServers(), topic, key);
    }

    public String bootstrapServers() {
        return SharedInfrastructure.kafka().bootstrapServers();
    }

    @Override
    public void close() {
        server.stop();
        producer.close();
        database.close();
    }
}
