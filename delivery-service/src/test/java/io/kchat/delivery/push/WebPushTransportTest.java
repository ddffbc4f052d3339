package io.kchat.delivery.push;

import io.kchat.infra.WebPushReceiver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zerodeplibs.webpush.VAPIDKeyPair;
import com.zerodeplibs.webpush.VAPIDKeyPairs;
import com.zerodeplibs.webpush.key.PrivateKeySources;
import com.zerodeplibs.webpush.key.PublicKeySources;
import io.kchat.schemas.PushEndpoints;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Web Push request as the library builds it, decrypted and verified by the RFC-written receiver. */
class WebPushTransportTest {

    private static final PushEndpoints.Policy LOCAL = new PushEndpoints.Policy(true, true);

    private WebPushReceiver receiver;
    private VAPIDKeyPair vapid;

    @BeforeEach
    void setUp() throws Exception {
        KeyPair pair = WebPushReceiver.p256KeyPair();
        byte[] publicPoint = WebPushReceiver.uncompressed((ECPublicKey) pair.getPublic());
        vapid = VAPIDKeyPairs.of(PrivateKeySources.ofPKCS8Bytes(pair.getPrivate().getEncoded()),
                PublicKeySources.ofUncompressedBytes(publicPoint));
        receiver = WebPushReceiver.start(publicPoint);
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    private WebPushTransport transport(PushEndpoints.Policy policy) {
        PushConfig config = PushConfig.DEFAULTS.withEndpointPolicy(policy);
        return new WebPushTransport(WebPushTransport.httpClient(Duration.ofSeconds(5)), id -> vapid, config,
                PushEndpoints.Resolver.SYSTEM, Clock.systemUTC());
    }

    private static Subscription subscription(WebPushReceiver.Handed handed) {
        return new Subscription("ann", "d1", Subscription.Kind.WEBPUSH, handed.endpoint(), handed.p256dh(),
                handed.auth(), "k1", null, null, true);
    }

    @Test
    void aPushArrivesEncryptedSignedAndWithItsHeaders() throws Exception {
        WebPushReceiver.Handed handed = receiver.subscribe("s1");
        PushPayload payload = new PushPayload("c1", 7, "bob", 3, "Bob", "hello \uD83D\uDE00");

        Answer answer = transport(LOCAL).send(subscription(handed), payload);

        assertEquals(201, answer.status());
        assertEquals(List.of(), receiver.problems());
        WebPushReceiver.Received received = receiver.delivered("s1").getFirst();
        assertEquals("{\"type\":\"message\",\"conversationId\":\"c1\",\"seq\":7,\"senderId\":\"bob\",\"unread\":3,"
                + "\"senderName\":\"Bob\",\"body\":\"hello \uD83D\uDE00\"}", received.message().toString());
        assertEquals("86400", received.headers().get("TTL"));
        assertEquals("normal", received.headers().get("Urgency"));
        assertEquals(WebPushTransport.topic("c1"), received.headers().get("Topic"));
    }

    @Test
    void theTopicIsPerConversationAndFitsRfc8030() {
        String topic = WebPushTransport.topic("c1");
        assertEquals(32, topic.length());
        assertTrue(topic.matches("[A-Za-z0-9_-]+"));
        assertEquals(topic, WebPushTransport.topic("c1"));
        assertTrue(!topic.equals(WebPushTransport.topic("c2")));
    }

    @Test
    void retryAfterIsReadFromTheAnswer() throws Exception {
        WebPushReceiver.Handed handed = receiver.subscribe("s2");
        receiver.script("s2", WebPushReceiver.Reply.retryAfter(429, "7"));

        Answer answer = transport(LOCAL).send(subscription(handed), new PushPayload("c1", 1, "bob", 1, null, null));

        assertEquals(429, answer.status());
        assertEquals(Optional.of(Duration.ofSeconds(7)), answer.retryAfter());
        assertTrue(answer.retryable());
    }

    @Test
    void aLoopbackEndpointIsRefusedUnderTheDefaultPolicyWithoutBeingCalled() {
        WebPushReceiver.Handed handed = receiver.subscribe("s3");
        // http allowed, so that only the address is at stake
        WebPushTransport strict = transport(new PushEndpoints.Policy(true, false));

        assertThrows(Refused.class, () -> strict.send(subscription(handed),
                new PushPayload("c1", 1, "bob", 1, null, null)));
        // a name resolving to a private address is refused as well
        WebPushTransport named = new WebPushTransport(WebPushTransport.httpClient(Duration.ofSeconds(5)),
                id -> vapid, PushConfig.DEFAULTS.withEndpointPolicy(new PushEndpoints.Policy(true, false)),
                host -> List.of(InetAddress.getByName("10.1.2.3")), Clock.systemUTC());
        Subscription byName = new Subscription("ann", "d1", Subscription.Kind.WEBPUSH,
                "http://push.example.com/push/s3", handed.p256dh(), handed.auth(), "k1", null, null, false);
        assertThrows(Refused.class, () -> named.send(byName, new PushPayload("c1", 1, "bob", 1, null, null)));
        assertEquals(List.of(), receiver.all());
    }

    @Test
    void malformedBrowserKeysAreRefusedNotRetried() {
        WebPushReceiver.Handed handed = receiver.subscribe("s4");
        Subscription broken = new Subscription("ann", "d1", Subscription.Kind.WEBPUSH, handed.endpoint(),
                new byte[] {4, 1, 2}, handed.auth(), "k1", null, null, false);

        assertThrows(Refused.class, () -> transport(LOCAL).send(broken,
                new PushPayload("c1", 1, "bob", 1, null, null)));
        assertEquals(List.of(), receiver.all());
    }
}
