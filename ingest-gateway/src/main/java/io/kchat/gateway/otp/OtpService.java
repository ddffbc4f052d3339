package io.kchat.gateway.otp;

import io.kchat.gateway.auth.sessions.DeviceIds;
import io.kchat.gateway.auth.sessions.Logins;
import io.kchat.gateway.auth.sessions.Logins.PendingLogin;
import io.kchat.gateway.auth.sessions.SessionTokens;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login by a code sent to a phone. A request sends a fresh code (closing the phone's earlier ones) and answers
 * the same whether or not the phone has an account. A code is good for one login, within its lifetime, for the
 * request it was sent for only, and dies after {@link OtpConfig#maxAttempts} wrong guesses. Its first success
 * creates the phone's account; the login itself is the password login's path ({@link Logins#open}).
 */
public final class OtpService {

    /** What a code request answers: the request to verify against, and how long its code lives. */
    public record OtpRequested(String requestId, long expiresIn) {
    }

    private static final Logger log = LoggerFactory.getLogger(OtpService.class);
    private static final Pattern REQUEST_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String REFUSED = "invalid or expired code";
    /** Stale rows removed per request: more than the one it adds. */
    private static final int PURGE_BATCH = 100;

    private final Database database;
    private final Logins logins;
    private final SmsSender sender;
    private final OtpConfig config;
    private final Clock clock;
    private final OtpCodes codes = new OtpCodes();
    private final OtpStore store = new OtpStore();
    private final PhoneAccounts accounts = new PhoneAccounts();

    public OtpService(Database database, Logins logins, SmsSender sender, OtpConfig config, Clock clock) {
        this.database = database;
        this.logins = logins;
        this.sender = sender;
        this.config = config;
        this.clock = clock;
    }

    /**
     * @throws Refusal 400 for a phone not in E.164, 429 (with Retry-After) past the per-phone or per-address
     *                      limit, 503 when the code could not be sent (the code is then unusable)
     */
    public OtpRequested request(String phone, String clientIp) {
        PhoneNumbers.require(phone);
        Instant now = now();
        String requestId = UUID.randomUUID().toString();
        String code = codes.next();
        database.inTransaction(connection -> {
            store.purge(connection, now.minus(config.throttleWindow()).minus(config.codeTtl()), PURGE_BATCH);
            store.lock(connection, phone, clientIp);
            throttle(store.limitReachedByAddress(connection, clientIp, now.minus(config.throttleWindow()),
                    config.maxRequestsPerIp()), now);
            throttle(store.limitReachedByPhone(connection, phone, now.minus(config.throttleWindow()),
                    config.maxRequestsPerPhone()), now);
            store.supersede(connection, phone, now);
            store.insert(connection, requestId, phone, clientIp, OtpCodes.hash(requestId, code), now,
                    now.plus(config.codeTtl()));
            return null;
        });
        try {
            sender.send(phone, "Your kchat code is " + code + ". It expires in " + config.codeTtl().toMinutes()
                    + " minutes. Do not share it.");
        } catch (SmsDeliveryException e) {
            log.warn("code for request {} not sent; the request is closed", requestId, e);
            database.withConnection(connection -> {
                store.close(connection, requestId, now());
                return null;
            });
            throw Refusal.unavailable("the code could not be sent, please retry later");
        }
        return new OtpRequested(requestId, config.codeTtl().toSeconds());
    }

    /**
     * @param requestId the request the code was sent for; null: the phone's newest request
     * @param deviceId  as for a password login: the client's, or null to be issued one
     * @throws Refusal 401 with one answer for every wrong, expired, used, dead or foreign code; 400 for a
     *                      malformed phone or deviceId; 409 / 503 as a password login
     */
    public SessionTokens verify(String phone, String code, String requestId, String deviceId) {
        PhoneNumbers.require(phone);
        String device = DeviceIds.orIssue(deviceId);
        if (!OtpCodes.wellFormed(code) || (requestId != null && !REQUEST_ID.matcher(requestId).matches())) {
            throw refused();
        }
        Optional<PendingLogin> login = database.inTransaction(connection -> check(connection, phone, code, requestId,
                device));
        return logins.complete(login.orElseThrow(OtpService::refused));
    }

    /** Empty for a refused code; a wrong guess is counted, committed with the refusal. */
    private Optional<PendingLogin> check(Connection connection, String phone, String code, String requestId,
                                         String device) throws SQLException {
        Instant now = now();
        Optional<OtpStore.Pending> found = requestId == null
                ? store.lockNewestOpen(connection, phone)
                : store.lockRequest(connection, requestId);
        if (found.isEmpty() || !found.get().phone().equals(phone) || !found.get().usable(now, config.maxAttempts())) {
            return Optional.empty();
        }
        OtpStore.Pending pending = found.get();
        if (!OtpCodes.matches(pending.codeHash(), pending.requestId(), code)) {
            store.recordFailure(connection, pending.requestId());
            return Optional.empty();
        }
        store.close(connection, pending.requestId(), now);
        String userId = accounts.findOrCreate(connection, phone, now);
        // a refused login (too many devices) rolls the whole transaction back: the code stays usable
        return Optional.of(logins.open(connection, userId, device));
    }

    /** Under the limit: nothing; else refused until the request that reached it leaves the window. */
    private void throttle(Optional<Instant> limitReachedAt, Instant now) {
        if (limitReachedAt.isPresent()) {
            Duration wait = Duration.between(now, limitReachedAt.get().plus(config.throttleWindow()));
            long seconds = Math.max(1, wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0));
            throw Refusal.rateLimited("too many code requests", "retry in " + seconds + " seconds", seconds);
        }
    }

    private static Refusal refused() {
        return Refusal.unauthenticated(REFUSED);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
