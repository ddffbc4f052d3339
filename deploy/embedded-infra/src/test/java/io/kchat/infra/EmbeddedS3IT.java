package io.kchat.infra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The embedded store as the gateway uses it: AWS SDK v2, URLConnection client, path style, static keys. */
class EmbeddedS3IT {

    private static final String REGION = "us-east-1";

    @Test
    void largeStreamedObjectRoundTripsWholeAndByRange() {
        EmbeddedS3 s3 = SharedInfrastructure.s3();
        String bucket = SharedInfrastructure.freshBucket("round trip");
        byte[] content = randomBytes(10 * 1024 * 1024 + 12_345);

        try (S3Client client = client(s3.endpoint(), s3.accessKey(), s3.secretKey())) {
            client.putObject(b -> b.bucket(bucket).key("media/big.bin").contentType("application/octet-stream"),
                    RequestBody.fromInputStream(new ByteArrayInputStream(content), content.length));

            ResponseBytes<GetObjectResponse> whole = client.getObjectAsBytes(b -> b.bucket(bucket).key("media/big.bin"));
            assertArrayEquals(content, whole.asByteArray());
            assertEquals("application/octet-stream", whole.response().contentType());

            ResponseBytes<GetObjectResponse> range = client.getObjectAsBytes(b -> b.bucket(bucket)
                    .key("media/big.bin").range("bytes=100-199"));
            assertArrayEquals(Arrays.copyOfRange(content, 100, 200), range.asByteArray());
            assertEquals("bytes 100-199/" + content.length, range.response().contentRange());

            ResponseBytes<GetObjectResponse> suffix = client.getObjectAsBytes(b -> b.bucket(bucket)
                    .key("media/big.bin").range("bytes=-500"));
            assertArrayEquals(Arrays.copyOfRange(content, content.length - 500, content.length), suffix.asByteArray());

            HeadObjectResponse head = client.headObject(b -> b.bucket(bucket).key("media/big.bin"));
            assertEquals(content.length, head.contentLength());
            assertEquals("application/octet-stream", head.contentType());
        }
    }

    @Test
    void listsAndDeletesObjects() {
        EmbeddedS3 s3 = SharedInfrastructure.s3();
        String bucket = SharedInfrastructure.freshBucket("list delete");

        try (S3Client client = client(s3.endpoint(), s3.accessKey(), s3.secretKey())) {
            for (String key : List.of("a/1", "a/2", "b/1")) {
                client.putObject(b -> b.bucket(bucket).key(key).contentType("text/plain"), RequestBody.fromString(key));
            }
            assertEquals(List.of("a/1", "a/2"), keys(client, bucket, "a/"));

            client.deleteObject(b -> b.bucket(bucket).key("a/1"));

            assertEquals(List.of("a/2"), keys(client, bucket, "a/"));
            assertThrows(NoSuchKeyException.class, () -> client.getObjectAsBytes(b -> b.bucket(bucket).key("a/1")));
            assertEquals(List.of("a/2", "b/1"), keys(client, bucket, ""));
        }
    }

    @Test
    void freshBucketsAreEmptyAndSeparate() {
        EmbeddedS3 s3 = SharedInfrastructure.s3();
        String first = SharedInfrastructure.freshBucket("separate");
        String second = SharedInfrastructure.freshBucket("separate");
        assertNotEquals(first, second);

        try (S3Client client = client(s3.endpoint(), s3.accessKey(), s3.secretKey())) {
            client.putObject(b -> b.bucket(first).key("only-here"), RequestBody.fromString("x"));

            assertEquals(List.of("only-here"), keys(client, first, ""));
            assertEquals(List.of(), keys(client, second, ""));
            assertTrue(client.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(s3.bucket())));
        }
    }

    @Test
    void requestsSignedWithAnotherSecretAreRefused() {
        EmbeddedS3 s3 = SharedInfrastructure.s3();

        try (S3Client client = client(s3.endpoint(), s3.accessKey(), s3.secretKey() + "x")) {
            S3Exception refused = assertThrows(S3Exception.class,
                    () -> client.putObject(b -> b.bucket(s3.bucket()).key("intruder"), RequestBody.fromString("x")));
            assertEquals(403, refused.statusCode());
        }
    }

    @Test
    void unsignedRequestsAreRefused() throws Exception {
        EmbeddedS3 s3 = SharedInfrastructure.s3();
        String bucket = SharedInfrastructure.freshBucket("anonymous");
        try (S3Client client = client(s3.endpoint(), s3.accessKey(), s3.secretKey())) {
            client.putObject(b -> b.bucket(bucket).key("private"), RequestBody.fromString("not for anyone"));
        }
        URI object = URI.create(s3.endpoint() + "/" + bucket + "/private");

        try (HttpClient http = HttpClient.newHttpClient()) {
            assertEquals(403, http.send(HttpRequest.newBuilder(object).build(), BodyHandlers.discarding()).statusCode());
            assertEquals(403, http.send(HttpRequest.newBuilder(object).PUT(BodyPublishers.ofString("x")).build(),
                    BodyHandlers.discarding()).statusCode());
            assertEquals(403, http.send(HttpRequest.newBuilder(URI.create(s3.endpoint() + "/" + bucket)).build(),
                    BodyHandlers.discarding()).statusCode());
        }
    }

    @Test
    void objectsAndKeysSurviveARestartOnTheSameDir(@TempDir Path dir) throws Exception {
        byte[] content = "kept across restarts".getBytes(StandardCharsets.UTF_8);
        String accessKey;
        String secretKey;
        int port;
        try (EmbeddedS3 s3 = EmbeddedS3.start(dir, 0, "kchat-media")) {
            accessKey = s3.accessKey();
            secretKey = s3.secretKey();
            port = s3.port();
            assertEquals(URI.create("http://127.0.0.1:" + port), s3.endpoint());
            try (S3Client client = client(s3.endpoint(), accessKey, secretKey)) {
                client.putObject(b -> b.bucket("kchat-media").key("kept").contentType("text/plain"),
                        RequestBody.fromBytes(content));
            }
        }
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(S3Credentials.FILE_NAME))));

        try (EmbeddedS3 s3 = EmbeddedS3.start(dir, port, "kchat-media")) {
            assertEquals(accessKey, s3.accessKey());
            assertEquals(secretKey, s3.secretKey());
            try (S3Client client = client(s3.endpoint(), accessKey, secretKey)) {
                ResponseBytes<GetObjectResponse> kept = client.getObjectAsBytes(b -> b.bucket("kchat-media").key("kept"));
                assertArrayEquals(content, kept.asByteArray());
                assertEquals("text/plain", kept.response().contentType());
            }
        }
    }

    @Test
    void differentDirsGetDifferentKeys(@TempDir Path first, @TempDir Path second) {
        S3Credentials a = S3Credentials.loadOrCreate(first);
        S3Credentials b = S3Credentials.loadOrCreate(second);

        assertNotEquals(a.accessKey(), b.accessKey());
        assertNotEquals(a.secretKey(), b.secretKey());
        assertEquals(a, S3Credentials.loadOrCreate(first));
        assertFalse(a.toString().contains(a.secretKey()));
    }

    @Test
    void invalidBucketNamesAreRefused() {
        EmbeddedS3 s3 = SharedInfrastructure.s3();

        assertThrows(IllegalArgumentException.class, () -> s3.createBucket("Upper_Case"));
        assertThrows(IllegalArgumentException.class, () -> s3.createBucket("ab"));
    }

    /** Exactly the client the gateway builds from MediaConfig. */
    static S3Client client(URI endpoint, String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    private static List<String> keys(S3Client client, String bucket, String prefix) {
        return client.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(21).nextBytes(bytes);
        return bytes;
    }
}
