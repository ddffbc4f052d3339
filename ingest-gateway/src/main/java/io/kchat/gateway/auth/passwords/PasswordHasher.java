package io.kchat.gateway.auth.passwords;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes as PHC strings ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}, OWASP's
 * minimum). Each hash takes {@code m} KiB of memory, so concurrent hashing is bounded: a login storm
 * queues instead of exhausting the heap.
 */
public final class PasswordHasher {

    /** Argon2id cost parameters; hashes made with others verify but {@link #needsRehash} them. */
    public record Parameters(int memoryKiB, int iterations, int parallelism) {
        public static final Parameters DEFAULT = new Parameters(19_456, 2, 1);
    }

    private static final Pattern PHC = Pattern.compile(
            "^\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{22,128})$");
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final Parameters parameters;
    private final SecureRandom random = new SecureRandom();
    private final Semaphore permits;
    /** Verified against when the username is unknown, so that both answers cost one hash. */
    private final String decoy;

    public PasswordHasher() {
        this(Parameters.DEFAULT, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    public PasswordHasher(Parameters parameters, int maxConcurrentHashes) {
        this.parameters = parameters;
        this.permits = new Semaphore(maxConcurrentHashes, true);
        this.decoy = hash("decoy password, never matches anything " + random.nextLong());
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, parameters, HASH_BYTES);
        return "$argon2id$v=19$m=" + parameters.memoryKiB() + ",t=" + parameters.iterations()
                + ",p=" + parameters.parallelism() + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** Constant-time comparison; a malformed stored hash never matches. */
    public boolean verify(String password, String phc) {
        Optional<Stored> stored = parse(phc);
        if (stored.isEmpty()) {
            return false;
        }
        Stored s = stored.get();
        byte[] actual = derive(password, s.salt(), s.parameters(), s.hash().length);
        return MessageDigest.isEqual(actual, s.hash());
    }

    /** Spends the time of one verification, for a login whose username does not exist. */
    public void verifyDecoy(String password) {
        verify(password, decoy);
    }

    public boolean needsRehash(String phc) {
        return parse(phc).map(s -> !s.parameters().equals(parameters) || s.hash().length != HASH_BYTES).orElse(true);
    }

    private byte[] derive(String password, byte[] salt, Parameters p, int length) {
        Argon2Parameters argon = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(p.memoryKiB())
                .withIterations(p.iterations())
                .withParallelism(p.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(argon);
        byte[] out = new byte[length];
        permits.acquireUninterruptibly();
        try {
            generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        } finally {
            permits.release();
        }
        return out;
    }

    private static Optional<Stored> parse(String phc) {
        if (phc == null) {
            return Optional.empty();
        }
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            return Optional.empty();
        }
        Parameters p = new Parameters(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)));
        if (p.memoryKiB() < 8 * p.parallelism() || p.iterations() < 1 || p.parallelism() < 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Stored(p, B64_DECODER.decode(m.group(4)), B64_DECODER.decode(m.group(5))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private record Stored(Parameters parameters, byte[] salt, byte[] hash) {
    }
}
