package io.kchat.gateway.ws;

import io.kchat.gateway.egress.DeliverySink;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The authenticated sockets of this node, by session id and by user. Thread-safe. */
public final class SessionRegistry implements DeliverySink {

    private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);

    private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
    /** Guarded by this: registering checks and changes a user's sockets at once. */
    private final Map<String, Set<ClientSession>> byUser = new HashMap<>();

    /**
     * Registers an authenticated socket, replacing (4009) the sockets of the same device; refused (false) when the
     * user already has {@code maxPerUser} other open sockets here.
     */
    synchronized boolean register(ClientSession session, int maxPerUser) {
        SessionIdentity who = session.identity();
        Set<ClientSession> mine = byUser.getOrDefault(who.userId(), Set.of());
        List<ClientSession> sameDevice = mine.stream().filter(s -> who.deviceId().equals(s.identity().deviceId()))
                .toList();
        long others = mine.stream().filter(s -> !sameDevice.contains(s) && !s.isClosing()).count();
        if (others >= maxPerUser) {
            return false;
        }
        sameDevice.forEach(s -> s.close(CloseCodes.REPLACED, "the device connected again"));
        byUser.computeIfAbsent(who.userId(), k -> new HashSet<>()).add(session);
        sessions.put(who.sessionId(), session);
        return true;
    }

    synchronized void unregister(ClientSession session) {
        SessionIdentity who = session.identity();
        sessions.remove(who.sessionId(), session);
        Set<ClientSession> mine = byUser.get(who.userId());
        if (mine != null && mine.remove(session) && mine.isEmpty()) {
            byUser.remove(who.userId());
        }
    }

    @Override
    public void deliver(String sessionId, Object item) {
        ClientSession session = sessions.get(sessionId);
        if (session == null) {
            log.debug("dropping item for session {}: not on this node (any more)", sessionId);
            return;
        }
        session.deliver(item);
    }

    /** Closes every socket of one device on this node, e.g. 4003 on logout; returns how many. */
    public int closeDevice(String userId, String deviceId, int code, String reason) {
        return closeOfUser(userId, s -> deviceId.equals(s.identity().deviceId()), code, reason);
    }

    /** Calls {@code action} for every authenticated socket of this node (a weakly consistent view). */
    void forEachSession(Consumer<ClientSession> action) {
        sessions.values().forEach(action);
    }

    /**
     * The session's directory row was reaped while it was open and has been written again: the user side has been
     * told it closed, so it is checked at once (see {@link SessionChecks}) and re-opened there. A session no longer
     * here needs nothing: its SessionClosed takes its row away.
     */
    public void rowRestored(String sessionId) {
        ClientSession session = sessions.get(sessionId);
        if (session != null) {
            session.requestCheck();
        }
    }

    /** Authenticated sockets on this node. */
    public int size() {
        return sessions.size();
    }

    private int closeOfUser(String userId, Predicate<ClientSession> which, int code, String reason) {
        List<ClientSession> matching;
        synchronized (this) {
            matching = byUser.getOrDefault(userId, Set.of()).stream().filter(which).toList();
        }
        matching.forEach(s -> s.close(code, reason));
        return matching.size();
    }
}
