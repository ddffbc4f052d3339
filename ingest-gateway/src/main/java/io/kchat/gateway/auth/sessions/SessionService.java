package io.kchat.gateway.auth.sessions;

import io.kchat.events.UserCommand;
import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.auth.sessions.RefreshTokenStore.Family;
import io.kchat.gateway.auth.tokens.AccessTokenClaims;
import io.kchat.gateway.auth.tokens.InvalidTokenException;
import io.kchat.gateway.auth.tokens.JwtAccessTokens;
import io.kchat.gateway.auth.tokens.RefreshTokens;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.kafka.PublishFailedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a device's login once {@link Logins} opened it: its refresh token rotated (a spent one presented
 * again revokes the login), the login ended (logout: the device is forgotten and the user side told with
 * {@code DeviceRemoved}, which the CDC relay of the devices table also carries), and the login behind an access
 * token checked to still stand.
 */
public final class SessionService {

    private static final Logger log = LoggerFactory.getLogger(SessionService.class);

    private final Database database;
    private final JwtAccessTokens accessTokens;
    private final SessionRevocations revocations;
    private final EventPublisher<String, UserCommand> userInbound;
    private final DeviceDepartures departures;
    private final AuthConfig config;
    private final Clock clock;
    private final DeviceStore devices = new DeviceStore();
    private final RefreshTokenStore refreshTokens = new RefreshTokenStore();

    public SessionService(Database database, JwtAccessTokens accessTokens, SessionRevocations revocations,
                          EventPublisher<String, UserCommand> userInbound, DeviceDepartures departures,
                          AuthConfig config, Clock clock) {
        this.database = database;
        this.accessTokens = accessTokens;
        this.revocations = revocations;
        this.userInbound = userInbound;
        this.departures = departures;
        this.config = config;
        this.clock = clock;
    }

    /** Rotates: the presented token is spent, a new one of the same login returned. */
    public SessionTokens refresh(String refreshToken) {
        if (!RefreshTokens.wellFormed(refreshToken)) {
            throw Refusal.unauthenticated("invalid refresh token");
        }
        byte[] hash = RefreshTokens.hash(refreshToken);
        Rotation rotation = database.inTransaction(connection -> rotate(connection, hash));
        return switch (rotation) {
            case Rotation.Rotated r -> new SessionTokens(r.family().userId(), r.family().deviceId(),
                    accessTokens.issue(r.family().userId(), r.family().deviceId(), r.family().familyId()), r.next());
            case Rotation.Replayed r -> {
                log.warn("spent refresh token presented again: revoked login {} of user {} device {}",
                        r.family().familyId(), r.family().userId(), r.family().deviceId());
                revocations.revokeDevice(r.family().userId(), r.family().deviceId());
                throw Refusal.unauthenticated("refresh token already used; the session is revoked");
            }
            case Rotation.Refused r -> throw Refusal.unauthenticated("invalid refresh token");
        };
    }

    /**
     * Ends this device's login, forgets the device, closes its sockets and tells the user side. The answer does
     * not depend on Kafka: the logout is committed and the client cannot retry it (its token is revoked), so a
     * DeviceRemoved that is not acknowledged is only logged, and the CDC relay of the deletion carries it.
     */
    public void logout(AuthenticatedSession session) {
        Instant now = now();
        List<Runnable> afterCommit = new ArrayList<>();
        boolean deleted = database.inTransaction(connection -> {
            refreshTokens.revokeDevice(connection, session.userId(), session.deviceId(), now);
            afterCommit.add(departures.leaving(connection, session.userId(), session.deviceId(), now));
            return devices.delete(connection, session.userId(), session.deviceId());
        });
        revocations.revokeDevice(session.userId(), session.deviceId());
        afterCommit.forEach(Runnable::run);
        if (deleted) {
            try {
                userInbound.publishAndAwait(session.userId(),
                        DeviceCommands.removed(session.userId(), session.deviceId(), now), config.publishTimeout());
            } catch (PublishFailedException e) {
                log.warn("device {} of user {} logged out but its removal was not acknowledged; CDC relays it",
                        session.deviceId(), session.userId(), e);
            }
        }
    }

    /**
     * Verifies an access token and that its login was not ended since (logout, password change, replay),
     * which a signature alone cannot tell.
     */
    public AuthenticatedSession authenticate(String accessToken) {
        AccessTokenClaims claims;
        try {
            claims = accessTokens.verifyClaims(accessToken);
        } catch (InvalidTokenException e) {
            throw Refusal.unauthenticated(e.getMessage());
        }
        Optional<Family> family = database.withConnection(c -> refreshTokens.usableFamily(c, claims.sessionId(), now()));
        if (family.isEmpty() || !family.get().userId().equals(claims.userId())
                || !family.get().deviceId().equals(claims.deviceId())) {
            throw Refusal.unauthenticated("session ended");
        }
        return new AuthenticatedSession(claims.userId(), claims.deviceId(), claims.sessionId());
    }

    private Rotation rotate(Connection connection, byte[] tokenHash) throws SQLException {
        Instant now = now();
        Optional<Family> spent = refreshTokens.spend(connection, tokenHash, now);
        if (spent.isPresent()) {
            Family family = spent.get();
            String next = RefreshTokens.newToken();
            refreshTokens.addToken(connection, family.familyId(), RefreshTokens.hash(next), now);
            devices.touch(connection, family.userId(), family.deviceId(), now);
            return new Rotation.Rotated(family, next);
        }
        Optional<Family> replayed = refreshTokens.familyOfSpent(connection, tokenHash);
        if (replayed.isPresent() && refreshTokens.revokeFamily(connection, replayed.get().familyId(), now)) {
            return new Rotation.Replayed(replayed.get());
        }
        return new Rotation.Refused();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private sealed interface Rotation {
        record Rotated(Family family, String next) implements Rotation {
        }

        record Replayed(Family family) implements Rotation {
        }

        record Refused() implements Rotation {
        }
    }
}
