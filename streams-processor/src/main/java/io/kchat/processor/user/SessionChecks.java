package io.kchat.processor.user;

import io.kchat.events.DeviceCursor;
import io.kchat.events.OpenSession;
import io.kchat.events.ReplayFinished;
import io.kchat.events.SessionCheck;
import io.kchat.events.SessionRevoked;
import io.kchat.events.SessionRoute;
import io.kchat.events.UserState;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net of session routing: a gateway checks a session that waited too long, and the answer heals
 * what the user side and the gateway disagree on. The answer depends on the check and the user's state only
 * (D2), and answers only the checked session: the user's other sessions are not the gateway's to speak for.
 */
final class SessionChecks {

    static final String REVOKED = "session revoked";
    static final String DEVICE_REMOVED = "device removed";

    private static final Logger log = LoggerFactory.getLogger(SessionChecks.class);

    private final Sessions sessions;
    private final UserMetrics metrics;

    SessionChecks(Sessions sessions, UserMetrics metrics) {
        this.sessions = sessions;
        this.metrics = metrics;
    }

    /**
     * Answers {@code check}.
     *
     * @return whether the state changed: a healthy idle session is checked every interval, and writing back an
     *     unchanged state would cost a changelog record each time
     */
    boolean check(UserOutput out, UserState state, SessionCheck check) {
        boolean wasOnline = !state.getSessions().isEmpty();
        boolean changed = Sessions.dropStale(state, check.getNodeId(), check.getIncarnation());
        // a re-opened session gets the whole replay: nothing up to the log's end is re-sent by a later check
        OpenSession checked = new OpenSession(check.getDeviceId(), check.getSessionId(), check.getNodeId(),
                check.getIncarnation(), state.getLastUserSeq());
        List<SessionRoute> route = Sessions.route(checked);
        DeviceCursor cursor = Devices.find(state, check.getDeviceId());
        OpenSession known = routedTo(state, checked);
        SessionCheckOutcome outcome;
        boolean revoked = Sessions.isRevoked(state, check.getSessionId());
        if (revoked || cursor == null) {
            // Never registers the device: a removed device comes back only through a login.
            out.deliver(route, new SessionRevoked(revoked ? REVOKED : DEVICE_REMOVED));
            changed |= state.getSessions().removeIf(s -> s.getSessionId().equals(check.getSessionId()));
            if (wasOnline && state.getSessions().isEmpty()) {
                out.presence(false, check.getAt());
            }
            outcome = SessionCheckOutcome.REVOKED;
        } else if (known == null) {
            sessions.add(out, state, checked, !wasOnline, check.getAt());
            changed = true;
            outcome = SessionCheckOutcome.REOPENED;
        } else if (!check.getSynced() && known.getCheckedUpTo() == 0) {
            sessions.replay(out, state, cursor, route);
            outcome = resentUpTo(known, state, SessionCheckOutcome.REPLAYED);
            changed = true;
        } else if (!check.getSynced() && known.getCheckedUpTo() < state.getLastUserSeq()) {
            // its replay was sent again already (and may still be on its way): what came since, and the end
            sessions.sendAfter(out, state, Math.max(known.getCheckedUpTo(), cursor.getAckedUserSeq()), route);
            out.deliver(route, new ReplayFinished(state.getLastUserSeq()));
            outcome = resentUpTo(known, state, SessionCheckOutcome.REPLAYED);
            changed = true;
        } else if (check.getSynced()
                && Math.max(check.getReceivedUpTo(), known.getCheckedUpTo()) < state.getLastUserSeq()) {
            sessions.sendAfter(out, state, Math.max(check.getReceivedUpTo(), known.getCheckedUpTo()), route);
            outcome = resentUpTo(known, state, SessionCheckOutcome.RESENT);
            changed = true;
        } else {
            // up to date, or everything it lacks was sent again once already: late, not lost, or for the
            // gateway's last resort (it closes a session that stays without its events)
            outcome = SessionCheckOutcome.KNOWN;
        }
        metrics.sessionChecked(outcome);
        if (outcome != SessionCheckOutcome.KNOWN) {
            log.info("session check healed: {} session {} of {} on {} (received up to {}, log at {})", outcome.tag(),
                    check.getSessionId(), out.userId(), check.getNodeId(), check.getReceivedUpTo(),
                    state.getLastUserSeq());
        }
        return changed;
    }

    /** Remembers that a known session was sent everything up to the log's end again: the next check goes on from there. */
    private static SessionCheckOutcome resentUpTo(OpenSession known, UserState state, SessionCheckOutcome outcome) {
        known.setCheckedUpTo(state.getLastUserSeq());
        return outcome;
    }

    /**
     * The session as stored, when live events for the user reach the checked socket: known with this device and on
     * this node. Known otherwise (a repeat of the id elsewhere), the routes miss it: null, and opening it replaces
     * that.
     */
    private static OpenSession routedTo(UserState state, OpenSession checked) {
        for (OpenSession session : state.getSessions()) {
            if (session.getSessionId().equals(checked.getSessionId())) {
                return session.getNodeId().equals(checked.getNodeId())
                        && session.getDeviceId().equals(checked.getDeviceId()) ? session : null;
            }
        }
        return null;
    }
}
