package io.kchat.gateway.ws;

import io.kchat.gateway.egress.DeliverySink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The authenticated sockets of this node, by session id. Thread-safe. */
public final class SessionRegistry implements DeliverySink {

    /** The same device connected again: its older socket gives way. */
    public static final int REPLACED = 4009;
    /** Logout, password change, refresh-token reuse. */
    public static final int REVOKED = 4003;
    public static final int GOING_AWAY = 1001;

    private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);
    private static final Duration EMPTY_POLL = Duration.ofMillis(20);

    private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();

    void register(ClientSession session) {
        SessionIdentity who = session.identity();
        close(s -> s != session && who.userId().equals(s.identity().userId())
                && who.deviceId().equals(s.identity().deviceId()), REPLACED, "the device connected again");
        sessions.put(who.sessionId(), session);
    }

    void unregister(ClientSession session) {
        sessions.remove(session.identity().sessionId(), session);
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
        return close(s -> userId.equals(s.identity().userId()) && deviceId.equals(s.identity().deviceId()),
                code, reason);
    }

    /** Closes every socket of a user on this node but those of {@code keepDeviceId} (may be null). */
    public int closeUserExcept(String userId, String keepDeviceId, int code, String reason) {
        return close(s -> userId.equals(s.identity().userId())
                && !Objects.equals(keepDeviceId, s.identity().deviceId()), code, reason);
    }

    /** Closes one socket by its session id, e.g. when its row was reaped; returns whether it was here. */
    public boolean closeSession(String sessionId, int code, String reason) {
        ClientSession session = sessions.get(sessionId);
        if (session == null) {
            return false;
        }
        session.close(code, reason);
        return true;
    }

    /**
     * Waits until every socket ended (its SessionClosed is then being published), at most {@code timeout}:
     * a draining node calls it before closing its producer. Returns whether none is left.
     */
    public boolean awaitEmpty(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!sessions.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(EMPTY_POLL);
        }
        return true;
    }

    /** Shutdown: tells every client to reconnect elsewhere (1001). */
    public int closeAll(int code) {
        return close(s -> true, code, "server going away");
    }

    /** Authenticated sockets on this node. */
    public int size() {
        return sessions.size();
    }

    private int close(Predicate<ClientSession> which, int code, String reason) {
        List<ClientSession> matching = sessions.values().stream().filter(which).toList();
        matching.forEach(s -> s.close(code, reason));
        return matching.size();
    }
}
