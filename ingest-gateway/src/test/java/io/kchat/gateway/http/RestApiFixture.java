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
import io.kchat.gateway.media.Media;
import io.kchat.gateway.media.MediaConfig;
import io.kchat.gateway.media.MediaMeters;
import io.kchat.gateway.otp.OtpConfig;
import io.kchat.gateway.push.PushConfig;
import io.kchat.schemas.PushEndpoints;
import java.net.UnknownHostException;
import io.kchat.infra.EmbeddedS3;
import io.kchat.infra.SharedInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import io.kchat.settings.Settings;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
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
    public final Media media;
    /** What the services read the time from. */
    public final Clock clock;
    /** What media counted (docs/observability.md). */
    public final SimpleMeterRegistry mediaRegistry = new SimpleMeterRegistry();
    private final Producer<byte[], byte[]> producer;
    private final WebServer server;

    private RestApiFixture(String name, AuthConfig auth, ConversationConfig conversations, ContactsConfig contacts) {
        this(name, auth, conversations, contacts, null);
    }

    private RestApiFixture(String name, AuthConfig auth, ConversationConfig conversations, ContactsConfig contacts,
                           MediaConfig mediaConfig) {
        this(name, auth, conversations, contacts, mediaConfig, PushConfig.defaults(), NO_NAMES, Clock.systemUTC());
    }

    /** Push endpoints in tests name hosts through the test's own resolver: none resolves here. */
    private static final PushEndpoints.Resolver NO_NAMES = host -> {
        throw new UnknownHostException(host);
    };

    private RestApiFixture(String name, AuthConfig auth, ConversationConfig conversations, ContactsConfig contacts,
                           MediaConfig mediaConfig, PushConfig push, PushEndpoints.Resolver resolver, Clock clock) {
        this.clock = clock;
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
        RestDependencies created = RestDependencies.create(database, auth, OtpConfig.defaults(), conversations, contacts,
                push, resolver, clock,
                new EventPublisher<>(producer, inboundTopic), new EventPublisher<>(producer, userInboundTopic), (user, device) -> revoked.add(new Revoked(user, device)));
        this.media = mediaConfig == null ? Media.unconfigured() : Media.start(mediaConfig, database, new MediaMeters(mediaRegistry), Clock.systemUTC());
        this.dependencies = created.withMedia(media);
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

    /**
     * With push settings of the test's choosing, endpoint hosts resolved by {@code resolver}, and every time read
     * from {@code clock} (mute expiry).
     */
    public static RestApiFixture startWithPush(String name, PushConfig push, PushEndpoints.Resolver resolver,
                                               Clock clock) {
        return new RestApiFixture(name, AuthConfig.defaults(), ConversationConfig.defaults(), ContactsConfig.defaults(),
                null, push, resolver, clock);
    }

    public static RestApiFixture start(String name, ContactsConfig contacts) {
        return new RestApiFixture(name, AuthConfig.defaults(), ConversationConfig.defaults(), contacts);
    }

    /**
     * With media on the shared S3 server, in a bucket of its own; {@code adjust} may change the limits (e.g. a small
     * MEDIA_MAX_BYTES).
     */
    public static RestApiFixture startWithMedia(String name, UnaryOperator<MediaConfig> adjust) {
        EmbeddedS3 s3 = SharedInfrastructure.s3();
        MediaConfig media = MediaConfig.from(Settings.of(Map.of())).withStorage(new MediaConfig.S3Storage(
                s3.endpoint(), "us-east-1", SharedInfrastructure.freshBucket(name), Optional.of(s3.accessKey()),
                Optional.of(s3.secretKey())));
        return new RestApiFixture(name, AuthConfig.defaults(), ConversationConfig.defaults(), ContactsConfig.defaults(),
                adjust.apply(media));
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
        media.close();
        producer.close();
        database.close();
    }
}
