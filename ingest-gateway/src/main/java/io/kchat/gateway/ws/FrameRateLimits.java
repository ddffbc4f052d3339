package io.kchat.gateway.ws;

import io.kchat.gateway.limits.KeyedRateLimiter;
import io.kchat.gateway.limits.TokenBucket;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limits one socket's frames pass: its own bucket, then (once authenticated) its user's bucket shared by
 * every socket of that user on this node. A refused frame is answered {@code rate_limited} and not processed; a
 * socket that keeps going past its refusal allowance is closed (1008). Used by one connection thread.
 */
final class FrameRateLimits {

    enum Outcome { ADMITTED, REFUSED, CLOSE }

    private static final Logger log = LoggerFactory.getLogger(FrameRateLimits.class);

    private final KeyedRateLimiter<String> perUser;
    private final TokenBucket connection;
    private final TokenBucket refusals;

    FrameRateLimits(ConnectionLimits limits, KeyedRateLimiter<String> perUser, Clock clock) {
        this.perUser = perUser;
        this.connection = new TokenBucket(limits.perConnection(), clock);
        this.refusals = new TokenBucket(limits.refusals(), clock);
    }

    /** @param userId the socket's user, or null before it authenticated */
    Outcome admit(String userId) {
        // the connection's bucket first: a socket over its own limit does not drain its user's bucket
        if (connection.tryTake() && (userId == null || perUser.acquire(userId).admitted())) {
            return Outcome.ADMITTED;
        }
        return refusals.tryTake() ? Outcome.REFUSED : Outcome.CLOSE;
    }

    /**
     * Whether the session's frame passes; a refused one is answered here (with its {@code ref} and, for a send, its
     * {@code id}) and goes no further.
     */
    boolean pass(ClientSession session, String ref, String id) {
        SessionIdentity who = session.identity();
        Outcome outcome = admit(who == null ? null : who.userId());
        if (outcome == Outcome.ADMITTED) {
            return true;
        }
        session.send(ServerFrame.Error.of(ref, id, ErrorCode.RATE_LIMITED, "too many frames, slow down"));
        if (outcome == Outcome.CLOSE) {
            log.info("closing a socket that kept sending past its rate limit (user {})",
                    who == null ? "unauthenticated" : who.userId());
            session.close(CloseCodes.POLICY, "rate limit exceeded");
        }
        return false;
    }
}
