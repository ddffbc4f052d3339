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

    private final UserLog userLog;

    Sessions(UserLog userLog) {
        this.userLog = userLog;
    }

    void open(UserOutput out, UserState state, SessionOpened opened) {
        boolean wasOffline = state.getSessions().isEmpty();
        state.getSessions().removeIf(s -> s.getSessionId().equals(opened.getSessionId()));
        state.getSessions().add(new OpenSession(opened.getDeviceId(), opened.getSessionId(), opened.getNodeId()));
        if (wasOffline) {
            out.presence(true, opened.getAt());
        }
        // Devices are registered at login; a device seen first here is registered now, with an empty queue.
        DeviceCursor cursor = Devices.register(state, opened.getDeviceId());
        replay(out, state, cursor, List.of(new SessionRoute(opened.getNodeId(), opened.getSessionId())));
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
        }
    }

    private static void removeWhere(UserOutput out, UserState state, Instant at,
                                    Predicate<OpenSession> which) {
        boolean wasOnline = !state.getSessions().isEmpty();
        state.getSessions().removeIf(which);
        if (wasOnline && state.getSessions().isEmpty()) {
            out.presence(false, at);
        }
    }

    private void replay(UserOutput out, UserState state, DeviceCursor cursor, List<SessionRoute> route) {
        out.deliver(route, new ReplayStarted(cursor.getDeviceId(), cursor.getAckedUserSeq()));
        long from = cursor.getAckedUserSeq() + 1;
        if (from < state.getOldestUserSeq()) {
            out.deliver(route, new ReplayGap(state.getOldestUserSeq()));
            from = state.getOldestUserSeq();
        }
        userLog.forEach(out.userId(), from, state.getLastUserSeq(), event -> out.deliver(route, event));
        out.deliver(route, new ReplayFinished(state.getLastUserSeq()));
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
