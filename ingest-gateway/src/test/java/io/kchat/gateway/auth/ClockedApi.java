package io.kchat.gateway.auth;

import io.helidon.webserver.WebServer;
import io.kchat.gateway.RestApi;
import io.kchat.gateway.RestDependencies;
import io.kchat.gateway.contacts.ContactsConfig;
import io.kchat.gateway.conversations.ConversationConfig;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.RestApiFixture.Revoked;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.kafka.GatewayProducer;
import io.kchat.gateway.otp.OtpConfig;
import io.kchat.gateway.otp.OtpService;
import io.kchat.gateway.otp.SmsSender;
import io.kchat.gateway.push.PushConfig;
import io.kchat.schemas.PushEndpoints;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.Producer;

/**
 * The REST API as the gateway wires it ({@link RestDependencies#create}, {@link RestApi#routing}) on a real
 * server, a fresh database and uniquely prefixed topics, but on a clock the test moves, and optionally with the
 * test's own {@link SmsSender} behind the OTP endpoints.
 */
public final class ClockedApi implements AutoCloseable {

    public final MutableClock clock;
    public final Database database;
    public final RestDependencies dependencies;
    public final List<Revoked> revoked = new CopyOnWriteArrayList<>();
    public final ApiClient client;
    public final int port;
    private final Producer<byte[], byte[]> producer;
    private final WebServer server;

    private ClockedApi(String name, AuthConfig auth, Instant start, SmsSender sms) {
        this.clock = new MutableClock(start);
        String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        var postgres = SharedInfrastructure.postgres();
        this.database = Database.start(SharedInfrastructure.freshDatabase(name), postgres.user(), postgres.password(), 4);
        TopicCatalogue topics = new TopicCatalogue(SharedInfrastructure.uniquePrefix(name));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicProvisioner(admin, (short) 1).ensure(List.of(topics.inbound(), topics.userInbound()));
        }
        this.producer = GatewayProducer.create(bootstrap, name + "-gateway");
        RestDependencies created = RestDependencies.create(database, auth, OtpConfig.defaults(), ConversationConfig.defaults(),
                ContactsConfig.defaults(), PushConfig.defaults(), PushEndpoints.Resolver.SYSTEM, clock,
                new EventPublisher<>(producer, topics.inbound()), new EventPublisher<>(producer, topics.userInbound()),
                (user, device) -> revoked.add(new Revoked(user, device)));
        this.dependencies = sms == null ? created : withSms(created, sms);
        this.server = WebServer.builder()
                .port(0)
                .routing(routing -> RestApi.routing(routing, dependencies))
                .build()
                .start();
        this.port = server.port();
        this.client = new ApiClient(port);
    }

    public static ClockedApi start(String name, AuthConfig auth, Instant start) {
        return new ClockedApi(name, auth, start, null);
    }

    public static ClockedApi start(String name, AuthConfig auth, Instant start, SmsSender sms) {
        return new ClockedApi(name, auth, start, sms);
    }

    private RestDependencies withSms(RestDependencies d, SmsSender sms) {
        return new RestDependencies(d.accounts(), d.logins(), d.sessions(), d.passwordChange(), d.users(),
                d.conversations(), d.memberships(), d.messages(), d.presence(), d.contacts(), d.blocks(), d.signingKeys(),
                d.accessTokens(),
                new OtpService(database, d.logins(), sms, OtpConfig.defaults(), clock), d.clientAddress(),
                d.keyDirectory(), d.sends(), d.search(), d.media(), d.push(), d.settings(), d.assistant());
    }

    @Override
    public void close() {
        server.stop();
        producer.close();
        database.close();
    }
}
