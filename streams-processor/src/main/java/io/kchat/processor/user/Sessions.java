package io.kchat.processor.user;

import io.kchat.events.DeviceCursor;
import io.kchat.events.OpenSession;
import io.kchat.events.ReplayFinished;
import io.kchat.events.ReplayGap;
import io.kchat.events.ReplayStarted;
import io.kchat.events.SessionClosed;
import io.kchat.events.SessionOpened;
import io.kchat.events.SessionRevoked;
import io.kchat.events.SessionsRevoked;
import io.kchat.events.SessionRoute;
import io.kchat.events.UserState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The user's open sessions: a session that opens gets its device's unacked tail before anything live,
 * and the user's presence changes when the first session opens or the last one goes.
 */
final class Sessions {

    /** How many revoked session ids the user's state remembers (UserState.revokedSessions). */
    static final int MAX_REVOKED = 32;

    private final UserLog userLog;

    Sessions(UserLog userLog) {
        this.userLog = userLog;
    }

    void open(UserOutput out, UserState state, SessionOpened opened) {
        boolean wasOffline = state.getSessions().isEmpty();
        dropStale(state, opened.getNodeId(), opened.getIncarnation());
        // Devices are registered at login; a device seen first here is registered now, with an empty queue.
        Devices.register(state, opened.getDeviceId());
        add(out, state, new OpenSession(opened.getDeviceId(), opened.getSessionId(), opened.getNodeId(),
                opened.getIncarnation(), 0L), wasOffline, opened.getAt());
    }

    /**
     * Routes to {@code session} from now on (a repeat of it replaces it) and sends it its device's replay; the
     * device must be registered. {@code wasOffline} is judged by the caller before any {@link #dropStale}, so a
     * gone process's session replaced by this one does not flap the user's presence.
     */
    void add(UserOutput out, UserState state, OpenSession session, boolean wasOffline, Instant at) {
        state.getSessions().removeIf(s -> s.getSessionId().equals(session.getSessionId()));
        state.getSessions().add(session);
        if (wasOffline) {
            out.presence(true, at);
        }
        replay(out, state, Devices.find(state, session.getDeviceId()), route(session));
    }

    /**
     * Forgets the user's sessions on {@code nodeId} held by another process than {@code incarnation}: that
     * process is gone (killed and restarted under its own node id), its sockets with it, and the reaper's
     * SessionClosed for them may come late or never. A session without an incarnation (opened before the field
     * existed) cannot be judged and stays. Presence is the caller's: it knows whether a session takes their place.
     *
     * @return whether any session went
     */
    static boolean dropStale(UserState state, String nodeId, String incarnation) {
        if (incarnation == null) {
            return false;
        }
        return state.getSessions().removeIf(s -> s.getNodeId().equals(nodeId) && s.getIncarnation() != null
                && !s.getIncarnation().equals(incarnation));
    }

    void close(UserOutput out, UserState state, SessionClosed closed) {
        removeWhere(out, state, closed.getAt(), s -> s.getSessionId().equals(closed.getSessionId()));
    }

    /** A removed device's sessions go with it: nothing is routed to them any more. */
    void closeAllOf(UserOutput out, UserState state, String deviceId, Instant at) {
        removeWhere(out, state, at, s -> s.getDeviceId().equals(deviceId));
    }

    /**
     * Logout, password change or refresh-token reuse: the revoked sessions are told (their gateways, wherever
     * they are, close them with 4003) and get nothing more from here on.
     */
    void revoke(UserOutput out, UserState state, SessionsRevoked revoked) {
        Predicate<OpenSession> which = revoked.getDeviceId() != null
                ? s -> s.getDeviceId().equals(revoked.getDeviceId())
                : s -> !s.getDeviceId().equals(revoked.getExceptDeviceId());
        List<SessionRoute> routes = new ArrayList<>();
        for (OpenSession session : state.getSessions()) {
            if (which.test(session)) {
                routes.add(new SessionRoute(session.getNodeId(), session.getSessionId()));
            }
        }
        if (!routes.isEmpty()) {
            out.deliver(routes, new SessionRevoked(revoked.getReason()));
            removeWhere(out, state, revoked.getAt(), which);
            routes.forEach(route -> rememberRevoked(state, route.getSessionId()));
        }
    }

    /**
     * A revoked session's gateway may not have got the word (or may check it before acting on it): its
     * SessionCheck must be answered by revoking it again, never by opening it. Only the latest few are kept: a
     * gateway closes a revoked socket at once, so an old revocation is not checked any more.
     */
    private static void rememberRevoked(UserState state, String sessionId) {
        List<String> revokedSessions = state.getRevokedSessions();
        revokedSessions.remove(sessionId);
        revokedSessions.add(sessionId);
        if (revokedSessions.size() > MAX_REVOKED) {
            revokedSessions.subList(0, revokedSessions.size() - MAX_REVOKED).clear();
        }
    }

    static boolean isRevoked(UserState state, String sessionId) {
        return state.getRevokedSessions().contains(sessionId);
    }

    private static void removeWhere(UserOutput out, UserState state, Instant at,
                                    Predicate<OpenSession> which) {
        boolean wasOnline = !state.getSessions().isEmpty();
        state.getSessions().removeIf(which);
        if (wasOnline && state.getSessions().isEmpty()) {
            out.presence(false, at);
        }
    }

    /** The device's replay, from its cursor to the end of the log. */
    void replay(UserOutput out, UserState state, DeviceCursor cursor, List<SessionRoute> route) {
        out.deliver(route, new ReplayStarted(cursor.getDeviceId(), cursor.getAckedUserSeq()));
        sendAfter(out, state, cursor.getAckedUserSeq(), route);
        out.deliver(route, new ReplayFinished(state.getLastUserSeq()));
    }

    /** The logged events above {@code upTo} in userSeq order, after a ReplayGap when some of them were trimmed. */
    void sendAfter(UserOutput out, UserState state, long upTo, List<SessionRoute> route) {
        long from = upTo + 1;
        if (from < state.getOldestUserSeq()) {
            out.deliver(route, new ReplayGap(state.getOldestUserSeq()));
            from = state.getOldestUserSeq();
        }
        userLog.forEach(out.userId(), from, state.getLastUserSeq(), event -> out.deliver(route, event));
    }

    static List<SessionRoute> route(OpenSession session) {
        return List.of(new SessionRoute(session.getNodeId(), session.getSessionId()));
    }

    /** Where a live event goes: every open session of the user. */
    static List<SessionRoute> routes(UserState state) {
        List<SessionRoute> routes = new ArrayList<>(state.getSessions().size());
        for (OpenSession session : state.getSessions()) {
            routes.add(new SessionRoute(session.getNodeId(), session.getSessionId()));
        }
        return routes;
    }
}
