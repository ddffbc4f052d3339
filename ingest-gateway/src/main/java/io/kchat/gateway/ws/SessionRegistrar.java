package io.kchat.gateway.ws;

import io.kchat.gateway.auth.tokens.AuthenticatedDevice;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens and ends the sessions of authenticated sockets (D5). A socket's first authentication registers it in the
 * {@link SessionRegistry} (its user's cap: 4011; the same device's older socket gives way: 4009), writes its
 * directory row, then publishes SessionOpened, which has the user side replay to it; the socket's end unregisters it,
 * publishes SessionClosed and removes the row. One {@link Registration} per connection.
 */
final class SessionRegistrar {

    /**
     * How long an opening socket waits for its directory row: the database answers in milliseconds when it is up,
     * and a socket whose session has no row could not be reaped, so past this it is closed (1011) and the client
     * reconnects.
     */
    static final Duration ROW_TIMEOUT = Duration.ofSeconds(5);
    /** The directory's futures complete on its one worker thread: what follows (a publish) runs elsewhere. */
    private static final Executor VIRTUAL_THREADS = task -> Thread.ofVirtual().name("session-open").start(task);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final Logger log = LoggerFactory.getLogger(SessionRegistrar.class);

    private final SessionRegistry registry;
    private final int maxConnectionsPerUser;
    private final SessionDirectory directory;
    private final SessionEvents events;
    private final SessionCoalescers coalescers;
    private final Clock clock;

    SessionRegistrar(SessionRegistry registry, int maxConnectionsPerUser, SessionDirectory directory,
                     SessionEvents events, SessionCoalescers coalescers, Clock clock) {
        this.registry = registry;
        this.maxConnectionsPerUser = maxConnectionsPerUser;
        this.directory = directory;
        this.events = events;
        this.coalescers = coalescers;
        this.clock = clock;
    }

    /** @param timers the connection's, told when its session is registered (the token's expiry is watched) */
    Registration forConnection(ConnectionTimers timers) {
        return new Registration(timers);
    }

    /**
     * One connection's session, from its registration to its end. {@link #open} and {@link #end} exclude each other:
     * a socket ending meanwhile must not leave a session registered, and SessionOpened is either published before
     * SessionClosed or not at all.
     */
    final class Registration {

        private final ConnectionTimers timers;
        // guarded by this
        private boolean ended;
        /** Set once the registry took the session: only then is there a session to end. */
        private boolean registered;
        /** Set when SessionOpened is handed to the producer: only then is SessionClosed due. */
        private boolean openedPublished;

        private Registration(ConnectionTimers timers) {
            this.timers = timers;
        }

        /** The socket's first authentication. Completes once the answer to {@code ref} (if any) is queued. */
        synchronized CompletableFuture<?> open(ClientSession session, AuthenticatedDevice device, String ref) {
            if (ended) {
                return DONE;
            }
            SessionIdentity who = new SessionIdentity(device.userId(), device.deviceId(), UUID.randomUUID().toString());
            session.authenticated(who, device.expiresAt(), coalescers.acks(session, who),
                    coalescers.typing(session, who));
            // registered before SessionOpened is published: the replay it triggers must find the session here
            if (!registry.register(session, maxConnectionsPerUser)) {
                session.close(CloseCodes.TOO_MANY_CONNECTIONS, "too many connections for this user");
                return DONE;
            }
            registered = true;
            timers.authenticated(session);
            // The row first: a session the user side knows must have a row for the reaper to find should this
            // process die (guarantee 8); a socket that cannot get one is closed and its client reconnects.
            return directory.opened(who.sessionId(), who.userId(), who.deviceId(), clock.instant())
                    .orTimeout(ROW_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .handleAsync((row, error) -> error == null
                            ? publishOpened(session, who, ref)
                            : rowFailed(session, who, error), VIRTUAL_THREADS)
                    .thenCompose(answered -> answered);
        }

        /** The socket ended (its writer is stopped): a registered session is unregistered and the user side told. */
        synchronized void end(ClientSession session) {
            ended = true;
            if (!registered) {
                return;
            }
            SessionIdentity who = session.identity();
            registry.unregister(session);
            session.ended(); // the pending ack is produced now, not at the end of its interval
            if (!openedPublished) {
                directory.closed(who.sessionId()); // its row (if written yet) goes: nobody else knows it
                return;
            }
            events.closed(who).whenComplete((written, error) -> {
                if (error != null) {
                    // The user side keeps routing to a session that is gone (this node drops those items). The
                    // row stays, so that the reaper publishes SessionClosed once this incarnation is gone.
                    log.warn("cannot publish SessionClosed for session {}", who.sessionId(), error);
                } else {
                    directory.closed(who.sessionId());
                }
            });
        }

        private synchronized CompletableFuture<?> publishOpened(ClientSession session, SessionIdentity who,
                                                                String ref) {
            if (ended) {
                return DONE; // ended while its row was written: the user side never hears of it, the row goes (end)
            }
            openedPublished = true;
            return events.opened(who).whenComplete((written, error) -> {
                if (error != null) {
                    // without SessionOpened the user side never replays to this socket: let the client retry
                    log.warn("cannot publish SessionOpened for session {}", who.sessionId(), error);
                    session.close(CloseCodes.INTERNAL, "cannot open the session, please reconnect");
                    return;
                }
                session.opened();
                if (ref != null) {
                    session.send(new ServerFrame.Ok(ref, null));
                }
            });
        }

        private CompletableFuture<?> rowFailed(ClientSession session, SessionIdentity who, Throwable error) {
            log.warn("cannot write the directory row of session {} in time: closing it ({})", who.sessionId(),
                    error.toString());
            session.close(CloseCodes.INTERNAL, "cannot open the session now, please reconnect");
            return DONE;
        }
    }
}
