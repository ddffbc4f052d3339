package io.kchat.infra;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * The access key pair of an {@link EmbeddedS3}, generated at the first start and kept in a file beside its data,
 * readable by the owner only: a restart keeps the keys (and with them whatever a client has configured), and no
 * well-known default ever guards the store.
 */
record S3Credentials(String accessKey, String secretKey) {

    static final String FILE_NAME = "credentials.properties";

    private static final String ACCESS_KEY = "accessKey";
    private static final String SECRET_KEY = "secretKey";
    private static final char[] ACCESS_KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] SECRET_KEY_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String toString() {
        return "S3Credentials[" + accessKey + "]";
    }

    /** Reads {@code dir/credentials.properties}, or creates it with a fresh random key pair. */
    static S3Credentials loadOrCreate(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                write(file, generate());
            }
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create the S3 credentials in " + file, e);
        }
    }

    /** AWS-shaped: a 20-character access key id and a 40-character secret (about 238 bits of entropy). */
    static S3Credentials generate() {
        return new S3Credentials("KCHAT" + random(ACCESS_KEY_ALPHABET, 15), random(SECRET_KEY_ALPHABET, 40));
    }

    private static String random(char[] alphabet, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet[RANDOM.nextInt(alphabet.length)]);
        }
        return s.toString();
    }

    private static S3Credentials read(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        }
        String accessKey = props.getProperty(ACCESS_KEY, "");
        String secretKey = props.getProperty(SECRET_KEY, "");
        if (accessKey.isBlank() || secretKey.isBlank()) {
            throw new IllegalStateException(file + " lacks " + ACCESS_KEY + " or " + SECRET_KEY
                    + "; delete it to have a new key pair generated");
        }
        return new S3Credentials(accessKey, secretKey);
    }

    /** Written to a private temporary file first and then moved: a crash never leaves half a key pair. */
    private static void write(Path file, S3Credentials credentials) throws IOException {
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        Properties props = new Properties();
        props.setProperty(ACCESS_KEY, credentials.accessKey());
        props.setProperty(SECRET_KEY, credentials.secretKey());
        try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            props.store(writer, "Access keys of the embedded S3 server; generated once, kept across restarts");
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
