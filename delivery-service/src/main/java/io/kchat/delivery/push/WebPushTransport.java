package io.kchat.delivery.push;

import com.zerodeplibs.webpush.PushSubscription;
import com.zerodeplibs.webpush.VAPIDKeyPair;
import com.zerodeplibs.webpush.httpclient.StandardHttpClientRequestPreparer;
import io.kchat.schemas.PushEndpoints;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Web Push (RFC 8030): the payload encrypted for the browser (RFC 8291, aes128gcm) and signed with the VAPID key the
 * subscription was made with (RFC 8292), POSTed to its endpoint with {@code TTL}, {@code Urgency: normal} and a
 * {@code Topic} per conversation, so that a push service holding pushes for an offline device keeps only the newest
 * of each conversation. The endpoint is checked again before every push: a host name can point elsewhere by now.
 */
final class WebPushTransport implements PushTransport {

    /** Well within the 24 hours RFC 8292 §2 allows, and long enough for any clock skew. */
    private static final int JWT_HOURS = 12;
    /** RFC 8030 §5.4: a Topic is at most 32 base64url characters, i.e. 24 bytes. */
    private static final int TOPIC_BYTES = 24;

    private final HttpClient http;
    private final VapidKeySource vapidKeys;
    private final PushConfig config;
    private final PushEndpoints.Resolver resolver;
    private final Clock clock;

    WebPushTransport(HttpClient http, VapidKeySource vapidKeys, PushConfig config, PushEndpoints.Resolver resolver,
                     Clock clock) {
        this.http = http;
        this.vapidKeys = vapidKeys;
        this.config = config;
        this.resolver = resolver;
        this.clock = clock;
    }

    @Override
    public Answer send(Subscription subscription, PushPayload payload)
            throws Refused, IOException, InterruptedException {
        URI endpoint;
        try {
            endpoint = PushEndpoints.parse(subscription.endpoint(), config.endpointPolicy());
            PushEndpoints.requirePublic(endpoint, config.endpointPolicy(), resolver);
        } catch (PushEndpoints.Refused e) {
            throw new Refused(e.getMessage());
        }
        VAPIDKeyPair keys;
        try {
            keys = vapidKeys.get(subscription.vapidKeyId());
        } catch (SQLException e) {
            // the database failing now says nothing about the push: try again, like an I/O error
            throw new IOException("VAPID key not readable", e);
        }
        HttpRequest request;
        try {
            PushSubscription target = new PushSubscription();
            target.setEndpoint(endpoint.toString());
            PushSubscription.Keys browserKeys = new PushSubscription.Keys();
            browserKeys.setP256dh(base64Url(subscription.p256dh()));
            browserKeys.setAuth(base64Url(subscription.auth()));
            target.setKeys(browserKeys);
            request = StandardHttpClientRequestPreparer.getBuilder()
                    .pushSubscription(target)
                    .vapidJWTExpiresAfter(JWT_HOURS, TimeUnit.HOURS)
                    .vapidJWTSubject(config.vapidSubject())
                    .pushMessage(payload.toJson())
                    .ttl(config.ttl().toSeconds(), TimeUnit.SECONDS)
                    .urgencyNormal()
                    .topic(topic(payload.conversationId()))
                    .build(keys)
                    .toRequestBuilder()
                    .timeout(config.timeout())
                    .build();
        } catch (RuntimeException e) {
            // the browser's keys are malformed (not a P-256 point, a short auth secret): no try will work
            throw new Refused("the subscription's keys are unusable: " + e.getClass().getSimpleName(), e);
        }
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        return new Answer(response.statusCode(), response.headers().firstValue("Retry-After")
                .flatMap(value -> RetryAfter.parse(value, clock.instant())), List.of());
    }

    /** The Topic of a conversation: a hash, so that the push service learns nothing of the id. */
    static String topic(String conversationId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("kchat-push-topic:" + conversationId).getBytes(StandardCharsets.UTF_8));
            return base64Url(Arrays.copyOf(digest, TOPIC_BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The client every push goes through: redirects are never followed (they could lead past the endpoint check). */
    static HttpClient httpClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }
}
