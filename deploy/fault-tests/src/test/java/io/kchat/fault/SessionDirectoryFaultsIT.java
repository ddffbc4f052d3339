package io.kchat.fault;

import io.kchat.infra.SharedInfrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults between a gateway and the database, where the session directory ({@code sessions} rows, the reaper) and
 * the user side's idea of who is connected can part ways:
 *
 * <ul>
 *   <li>the gateway dies while a session's row is not written yet: its user must not stay online for ever
 *       (guarantee 8);</li>
 *   <li>the gateway cannot reach the database for longer than NODE_EXPIRY while its sockets and Kafka work: the
 *       reaper closes its sessions on the user side, yet its connected devices must keep getting their events.</li>
 * </ul>
 */
class SessionDirectoryFaultsIT {

    private static final Logger log = LoggerFactory.getLogger(SessionDirectoryFaultsIT.class);
    private static final String NODE = "gw-1";
    /** NODE_EXPIRY (5 s) + NODE_REAP_INTERVAL (1 s) after the kill, with room for a busy 2-core machine. */
    private static final Duration OFFLINE_WITHIN = Duration.ofSeconds(20);
    private static final Duration REAPED_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path stateRoot;
    private final FaultRun run = new FaultRun();

    @AfterEach
    void tearDown() {
        run.close();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aGatewayKilledBeforeASessionRowIsWrittenLeavesNobodyOnline() {
        run.start("row-not-written", SharedInfrastructure.kafka().bootstrapServers(), stateRoot, 1, 1, 81);
        ServiceProcess gateway = run.stack().gateway(1);
        gateway.pinPort();
        run.sendsOkd(40);
        ChatWorld world = run.world();
        ChatClient away = world.clients().stream().filter(world::isOnlyDevice).findFirst().orElseThrow();
        ChatClient watcher = world.clients().stream().filter(c -> c != away && world.isOnlyDevice(c)).findFirst()
                .orElseThrow();

        try (DatabaseHold held = DatabaseHold.sessionWrites(run.stack())) {
            int connections = away.connections();
            away.reconnect(); // its old session closes; a new one opens whose row cannot be written now
            Waits.until(() -> away.connections() > connections, Duration.ofSeconds(20), "the client did not reconnect");
            // a session whose row cannot be written is not announced: no replay, so no ready
            Waits.throughout(() -> !away.isOnline(), Duration.ofSeconds(2),
                    "a session was announced (the client got ready) before its row was written");
            away.suspend();
            gateway.kill9();
        }
        gateway.restart(); // the others come back; the away user does not
        // REST presence counts session rows; the presence frames come from the user side, which must not keep a
        // session of the dead node that no row (and so no reaper) will ever close
        Waits.until(() -> lastPresenceOf(watcher, away).equals("offline"), OFFLINE_WITHIN,
                () -> "co-members last heard that the away user is " + lastPresenceOf(watcher, away));

        away.resume();
        Waits.until(() -> world.clients().stream().allMatch(ChatClient::isSynced), Duration.ofSeconds(60),
                "clients not synced");
        run.sendsOkd(30);
        run.deliveredLive("after a node died with a session not written down");
        run.finishAndCheck();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aGatewayCutOffFromTheDatabaseKeepsDeliveringToItsSockets() {
        run.start("database-stall", SharedInfrastructure.kafka().bootstrapServers(), stateRoot, 1, 1, 82);
        run.sendsOkd(60);
        try (DatabaseHold held = DatabaseHold.heartbeatOf(run.stack(), NODE)) {
            long stalled = System.nanoTime();
            Waits.until(() -> DatabaseHold.sessionIdsOf(run.stack(), NODE).isEmpty(), REAPED_WITHIN,
                    "the reaper did not take the sessions of the node that stopped beating");
            log.info("the reaper took every session of {} {} ms after its heartbeat stalled", NODE,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalled));
            run.sendsOkd(60);
            run.deliveredLive("while the gateway cannot reach the database");
        }
        run.finishAndCheck();
    }

    /** What the {@code presence} frames {@code watcher} got last said of {@code user}: online, offline or none. */
    private static String lastPresenceOf(ChatClient watcher, ChatClient user) {
        return watcher.history().frames().stream()
                .filter(f -> f.type().equals("presence") && f.frame().path("userId").asText().equals(user.userId()))
                .reduce((first, second) -> second)
                .map(f -> f.frame().path("online").asBoolean() ? "online" : "offline")
                .orElse("none");
    }
}
