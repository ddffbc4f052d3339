package io.kchat.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local Web Push service for the tests and the bench, written from the RFCs with JDK crypto only: it hands out subscriptions
 * (a P-256 key pair and an auth secret each, as a browser would), and for each POST to one checks the VAPID
 * authorization (RFC 8292: an ES256 JWT signed by the expected key, {@code aud} the endpoint's origin, {@code exp}
 * ahead and within 24 hours, a {@code sub}), the headers ({@code Content-Encoding: aes128gcm}, {@code TTL},
 * {@code Topic}) and decrypts the body (RFC 8291 over RFC 8188). Every request is recorded, with what was wrong with
 * it; answers can be scripted per subscription (410, 429 with Retry-After, 500, a slow answer).
 */
public final class WebPushReceiver implements AutoCloseable {

    /** A subscription as the browser hands it to the application server. */
    public record Handed(String name, String endpoint, byte[] p256dh, byte[] auth) {

        /** The body of {@code PUT /v1/devices/me/push} for this subscription, as the web client sends it. */
        public String subscriptionJson(boolean previews) {
            Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
            ObjectNode body = JSON.createObjectNode().put("kind", "webpush").put("endpoint", endpoint)
                    .put("previews", previews);
            body.putObject("keys").put("p256dh", base64url.encodeToString(p256dh))
                    .put("auth", base64url.encodeToString(auth));
            return body.toString();
        }
    }

    /**
     * One request as received.
     *
     * @param message  the decrypted JSON; null when the request was not valid
     * @param problem  what was wrong with it; null for a valid one
     * @param status   what it was answered
     */
    public record Received(String subscription, JsonNode message, Map<String, String> headers, Instant at, String problem,
                    int status) {
    }

    /** A scripted answer: the status, an optional Retry-After value, and a pause before answering. */
    public record Reply(int status, String retryAfter, Duration delay) {
        public static Reply status(int status) {
            return new Reply(status, null, Duration.ZERO);
        }

        public static Reply retryAfter(int status, String retryAfter) {
            return new Reply(status, retryAfter, Duration.ZERO);
        }

        public static Reply slow(Duration delay) {
            return new Reply(201, null, delay);
        }
    }

    private record Keys(KeyPair pair, byte[] publicPoint, byte[] auth) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] AES128GCM_INFO = "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NONCE_INFO = "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII);

    private final HttpServer server;
    private final byte[] vapidPublicKey;
    private final Map<String, Keys> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, Deque<Reply>> replies = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private WebPushReceiver(byte[] vapidPublicKey) throws IOException {
        this.vapidPublicKey = vapidPublicKey.clone();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/push/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** A receiver accepting pushes signed by the VAPID key whose uncompressed public point is given. */
    public static WebPushReceiver start(byte[] vapidPublicKey) throws IOException {
        return new WebPushReceiver(vapidPublicKey);
    }

    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A new subscription named {@code name}, as PushManager.subscribe would hand it out. */
    public Handed subscribe(String name) {
        KeyPair pair = p256KeyPair();
        byte[] auth = new byte[16];
        RANDOM.nextBytes(auth);
        Keys keys = new Keys(pair, uncompressed((ECPublicKey) pair.getPublic()), auth);
        subscriptions.put(name, keys);
        return new Handed(name, origin() + "/push/" + name, keys.publicPoint(), auth);
    }

    /** The next requests to {@code name} get these answers, in order; after them, 201. */
    public void script(String name, Reply... answers) {
        replies.computeIfAbsent(name, k -> new ArrayDeque<>()).addAll(List.of(answers));
    }

    public List<Received> all() {
        return List.copyOf(received);
    }

    public List<Received> to(String name) {
        return received.stream().filter(r -> r.subscription().equals(name)).toList();
    }

    /** Valid requests answered 201, i.e. pushes delivered. */
    public List<Received> delivered(String name) {
        return to(name).stream().filter(r -> r.problem() == null && r.status() == 201).toList();
    }

    public List<String> problems() {
        return received.stream().filter(r -> r.problem() != null).map(r -> r.subscription() + ": " + r.problem())
                .toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Instant at = Instant.now();
            String name = exchange.getRequestURI().getPath().substring("/push/".length());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((key, values) -> headers.put(key, String.join(",", values)));
            JsonNode message = null;
            String problem;
            try {
                message = check(name, exchange.getRequestMethod(), headers, body);
                problem = null;
            } catch (IllegalArgumentException | GeneralSecurityException | IOException e) {
                problem = e.toString();
            }
            Reply reply = problem != null ? Reply.status(400) : next(name);
            if (!reply.delay().isZero()) {
                try {
                    Thread.sleep(reply.delay());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            received.add(new Received(name, message, headers, at, problem, reply.status()));
            if (reply.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", reply.retryAfter());
            }
            exchange.sendResponseHeaders(reply.status(), -1);
        }
    }

    private Reply next(String name) {
        Deque<Reply> queue = replies.get(name);
        synchronized (this) {
            Reply reply = queue == null ? null : queue.poll();
            return reply == null ? Reply.status(201) : reply;
        }
    }

    private JsonNode check(String name, String method, Map<String, String> headers, byte[] body)
            throws GeneralSecurityException, IOException {
        Keys keys = subscriptions.get(name);
        require(keys != null, "no such subscription");
        require(method.equals("POST"), "method " + method);
        checkVapid(headers.get("Authorization"));
        require("aes128gcm".equals(headers.get("Content-Encoding")), "Content-Encoding " + headers.get(
                "Content-Encoding"));
        String ttl = headers.get("TTL");
        require(ttl != null && ttl.matches("[0-9]+"), "TTL " + ttl);
        String topic = headers.get("Topic");
        require(topic != null && topic.matches("[A-Za-z0-9_-]{1,32}"), "Topic " + topic);
        return JSON.readTree(decrypt(keys, body));
    }

    /** RFC 8292 §3: {@code vapid t=<JWT>, k=<public key>}. */
    private void checkVapid(String authorization) throws GeneralSecurityException, IOException {
        require(authorization != null && authorization.startsWith("vapid "), "Authorization " + authorization);
        String token = null;
        String key = null;
        for (String part : authorization.substring("vapid ".length()).split(",")) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length == 2 && pair[0].equals("t")) {
                token = pair[1];
            } else if (pair.length == 2 && pair[0].equals("k")) {
                key = pair[1];
            }
        }
        require(token != null && key != null, "Authorization without t or k");
        byte[] k = Base64.getUrlDecoder().decode(key);
        require(Arrays.equals(k, vapidPublicKey), "k is not the expected VAPID key");
        String[] jwt = token.split("\\.");
        require(jwt.length == 3, "not a JWS compact serialization");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
        require("ES256".equals(header.path("alg").asText()), "alg " + header.path("alg"));
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(publicKey(k));
        verifier.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        require(verifier.verify(Base64.getUrlDecoder().decode(jwt[2])), "bad JWT signature");
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        require(origin().equals(claims.path("aud").asText()), "aud " + claims.path("aud"));
        long now = Instant.now().getEpochSecond();
        long exp = claims.path("exp").asLong();
        require(exp > now && exp <= now + Duration.ofHours(24).toSeconds(), "exp " + exp);
        require(!claims.path("sub").asText().isEmpty(), "no sub");
    }

    /** RFC 8291 §3.4 and RFC 8188 §2: one record, the application server's public key as the keyid. */
    private static byte[] decrypt(Keys keys, byte[] body) throws GeneralSecurityException {
        ByteBuffer in = ByteBuffer.wrap(body);
        require(body.length > 21, "body shorter than its header");
        byte[] salt = new byte[16];
        in.get(salt);
        int recordSize = in.getInt();
        int idLength = in.get() & 0xff;
        require(idLength == 65, "keyid of " + idLength + " bytes");
        byte[] serverKey = new byte[idLength];
        in.get(serverKey);
        byte[] ciphertext = new byte[in.remaining()];
        in.get(ciphertext);
        require(ciphertext.length <= recordSize, "more than one record");

        KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(keys.pair().getPrivate());
        agreement.doPhase(publicKey(serverKey), true);
        byte[] ecdhSecret = agreement.generateSecret();

        byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), keys.publicPoint(), serverKey);
        byte[] prkKey = hmac(keys.auth(), ecdhSecret);
        byte[] ikm = hmac(prkKey, concat(keyInfo, new byte[] {1}));
        byte[] prk = hmac(salt, ikm);
        byte[] cek = Arrays.copyOf(hmac(prk, concat(AES128GCM_INFO, new byte[] {1})), 16);
        byte[] nonce = Arrays.copyOf(hmac(prk, concat(NONCE_INFO, new byte[] {1})), 12);

        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
        byte[] padded = aes.doFinal(ciphertext);
        int end = padded.length - 1;
        while (end >= 0 && padded[end] == 0) {
            end--;
        }
        require(end >= 0 && padded[end] == 2, "the last record's delimiter is not 0x02");
        return Arrays.copyOf(padded, end);
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        ByteBuffer out = ByteBuffer.allocate(length);
        Arrays.stream(parts).forEach(out::put);
        return out.array();
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }

    // ------------------------------------------------------------------ P-256 helpers, also for the tests' VAPID key

    public static KeyPair p256KeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The uncompressed point 0x04 || X || Y, 65 bytes. */
    public static byte[] uncompressed(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        copyUnsigned(key.getW().getAffineX(), out, 1);
        copyUnsigned(key.getW().getAffineY(), out, 33);
        return out;
    }

    private static void copyUnsigned(BigInteger value, byte[] out, int offset) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 32 ? bytes.length - 32 : 0;
        int length = bytes.length - start;
        System.arraycopy(bytes, start, out, offset + 32 - length, length);
    }

    public static ECPublicKey publicKey(byte[] uncompressed) throws GeneralSecurityException {
        require(uncompressed.length == 65 && uncompressed[0] == 4, "not an uncompressed P-256 point");
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
        ECPoint point = new ECPoint(new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
    }


    @Override
    public void close() {
        server.stop(0);
    }
}
