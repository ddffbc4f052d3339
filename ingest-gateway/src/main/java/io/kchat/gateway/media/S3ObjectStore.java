package io.kchat.gateway.media;

import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The object store over the AWS SDK's S3 client, set up so that any S3-compatible server works: path-style URLs
 * (MinIO, s3proxy and Ceph rarely have wildcard DNS) and checksums only where the API requires them (the SDK's newer
 * default trailing CRC checksums are refused by several of them).
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Between two reads of one connection: a store that stalls longer fails the request rather than pinning it. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private final S3Client client;
    private final String bucket;

    S3ObjectStore(S3Client client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    public static S3ObjectStore connect(MediaConfig.S3Storage storage) {
        AwsCredentialsProvider credentials = storage.accessKey().isPresent()
                ? StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(storage.accessKey().get(), storage.secretKey().orElseThrow()))
                : DefaultCredentialsProvider.builder().build();
        S3Client client = S3Client.builder()
                .endpointOverride(storage.endpoint())
                .region(Region.of(storage.region()))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT)
                        .build())
                .credentialsProvider(credentials)
                .build();
        return new S3ObjectStore(client, storage.bucket());
    }

    @Override
    public void put(String key, String contentType, InputStream content, long length) {
        client.putObject(PutObjectRequest.builder()
                        .bucket(bucket).key(key).contentType(contentType).contentLength(length).build(),
                RequestBody.fromInputStream(content, length));
    }

    @Override
    public Optional<StoredObject> get(String key, Optional<ByteRange> range) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
        range.ifPresent(r -> request.range(r.header()));
        try {
            ResponseInputStream<GetObjectResponse> stream = client.getObject(request.build());
            GetObjectResponse response = stream.response();
            long length = response.contentLength();
            long total = range.isPresent() ? totalSize(response.contentRange(), length) : length;
            return Optional.of(new StoredObject(stream, length, total, response.contentType()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** The size after the slash of {@code bytes a-b/size}; the part's length when the store sent no range. */
    private static long totalSize(String contentRange, long partLength) {
        if (contentRange == null) {
            return partLength;
        }
        int slash = contentRange.lastIndexOf('/');
        String size = contentRange.substring(slash + 1);
        return size.equals("*") ? partLength : Long.parseLong(size);
    }

    @Override
    public void delete(String key) {
        client.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(key).build());
    }

    @Override
    public void close() {
        client.close();
    }
}
