package io.kchat.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobProviderMetadata;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.logging.slf4j.config.SLF4JLoggingModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-compatible object store running in this JVM: s3proxy over its filesystem-nio2 back end, listening on
 * {@code http://127.0.0.1:port}, path-style only. Objects are plain files under {@code dataDir/buckets/<bucket>/}
 * (content type and user metadata in extended attributes), so they survive a restart on the same directory.
 *
 * <p>Requests must be signed (AWS Signature V2 or V4) with the key pair of {@link #accessKey()} /
 * {@link #secretKey()}, generated at the first start and kept in {@code dataDir/credentials.properties}
 * (owner-readable only). Any region is accepted in a V4 signature.
 *
 * <p>Why s3proxy rather than local-s3: s3proxy checks signatures (a client with a wrong key or region setup fails
 * here as against a real store), speaks the parts of S3 the AWS SDK v2 actually sends (aws-chunked streaming
 * uploads, ranges, multipart, batch delete) and stores plain files; local-s3 is a test mock that checks no
 * signature, and brings Netty. s3proxy's Jetty is relocated inside its jar, so it cannot clash with the Jetty of
 * Kafka Connect in chat-local's JVM.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3.class);
    /** S3's rule for bucket names, without the IP-address exception. */
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /** Jetty's threads: a local store serves a few uploads at a time, not 200 (s3proxy's default). */
    private static final int MAX_THREADS = 32;
    /** The base directory of s3proxy's filesystem-nio2 back end (the same key as jclouds' own filesystem). */
    private static final String BASEDIR_PROPERTY = "jclouds.filesystem.basedir";
    private static final String GUICE_BYTECODE_OPTION = "guice_bytecode_gen_option";

    private final S3Proxy proxy;
    private final BlobStoreContext blobStoreContext;
    private final Path dataDir;
    private final S3Credentials credentials;
    private final String bucket;
    private final int port;
    private ShutdownHook shutdownHook;
    private boolean closed;

    private EmbeddedS3(S3Proxy proxy, BlobStoreContext blobStoreContext, Path dataDir, S3Credentials credentials,
                       String bucket) {
        this.proxy = proxy;
        this.blobStoreContext = blobStoreContext;
        this.dataDir = dataDir;
        this.credentials = credentials;
        this.bucket = bucket;
        this.port = proxy.getPort();
    }

    /**
     * Starts the server and returns once it accepts connections, with {@code bucket} created if missing.
     *
     * @param dataDir where buckets and the key pair are kept; created if needed
     * @param port    TCP port on 127.0.0.1; 0 picks a free one
     * @param bucket  a valid S3 bucket name (lower case, 3 to 63 characters of {@code [a-z0-9.-]})
     */
    public static EmbeddedS3 start(Path dataDir, int port, String bucket) {
        requireBucketName(bucket);
        long startNanos = System.nanoTime();
        Path dir = dataDir.toAbsolutePath();
        Path bucketsDir = dir.resolve("buckets");
        createDirectories(bucketsDir);
        S3Credentials credentials = S3Credentials.loadOrCreate(dir);

        BlobStoreContext context = filesystemBlobStore(bucketsDir);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + FreePorts.pickIfZero(port)))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, credentials.accessKey(), credentials.secretKey())
                .jettyMaxThreads(MAX_THREADS)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            context.close();
            throw new IllegalStateException("Could not start the S3 server in " + dir + " on port " + port, e);
        }
        EmbeddedS3 s3 = new EmbeddedS3(proxy, context, dir, credentials, bucket);
        try {
            s3.createBucket(bucket);
        } catch (RuntimeException e) {
            s3.close();
            throw e;
        }
        s3.shutdownHook = ShutdownHook.register("embedded-s3-shutdown-" + s3.port, s3::close);
        LOG.info("S3 server ready on {} (bucket {}, data {}) in {} ms", s3.endpoint(), bucket, dir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        return s3;
    }

    /**
     * For an owner that stops this server itself, in order, from its own shutdown hook: the JVM runs
     * hooks concurrently, so ours would stop the server under services that are still draining.
     */
    public synchronized void ownShutdown() {
        if (shutdownHook != null) {
            shutdownHook.remove();
            shutdownHook = null;
        }
    }

    /** {@code http://127.0.0.1:<port>}: the S3_ENDPOINT of a client, which must use path-style requests. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public String accessKey() {
        return credentials.accessKey();
    }

    public String secretKey() {
        return credentials.secretKey();
    }

    /** The bucket created at start. */
    public String bucket() {
        return bucket;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Creates a bucket unless it exists (straight on the back end, no request signed). */
    public void createBucket(String name) {
        requireBucketName(name);
        if (blobStore().createContainerInLocation(null, name)) {
            LOG.info("Created bucket {}", name);
        }
    }

    /** Stops the server and waits until it has; idempotent and safe from a shutdown hook. Data stays on disk. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            LOG.info("Stopping S3 server on {}", endpoint());
            proxy.stop();
            LOG.info("S3 server on {} stopped", endpoint());
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop the S3 server on " + endpoint(), e);
        } finally {
            blobStoreContext.close();
            if (shutdownHook != null) {
                shutdownHook.remove();
            }
        }
    }

    private BlobStore blobStore() {
        return blobStoreContext.getBlobStore();
    }

    private static BlobStoreContext filesystemBlobStore(Path bucketsDir) {
        // Guice is on the classpath only for jclouds, which binds no method interceptors: without bytecode
        // generation Guice never calls sun.misc.Unsafe, which JDK 24+ reports on stderr.
        if (System.getProperty(GUICE_BYTECODE_OPTION) == null) {
            System.setProperty(GUICE_BYTECODE_OPTION, "DISABLED");
        }
        Properties overrides = new Properties();
        overrides.setProperty(BASEDIR_PROPERTY, bucketsDir.toString());
        // By its metadata, not by the id "filesystem-nio2": a lookup by id instantiates every provider on the
        // classpath, among them s3proxy's Azure one, whose dependencies are left out.
        return ContextBuilder.newBuilder(new FilesystemNio2BlobProviderMetadata())
                .overrides(overrides)
                // required by jclouds, ignored by a local back end
                .credentials("local", "local")
                .modules(Set.of(new SLF4JLoggingModule()))
                .buildView(BlobStoreContext.class);
    }

    private static void requireBucketName(String name) {
        if (name == null || !BUCKET_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a valid S3 bucket name: " + name);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create S3 data dir " + dir, e);
        }
    }
}
