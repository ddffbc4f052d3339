package io.kchat.fault;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.infra.SharedInfrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The only gateway killed with -9 (or stopped with SIGTERM) and started again under its own node id and port, its
 * clients reconnecting to it, with the session reaper's pass on the dead incarnation's rows put at a chosen moment:
 * before the node comes back, after the new incarnation took the node row but before any client is back, after every
 * client is back and synced, or while half of them are. The reaper takes rows {@code FOR UPDATE SKIP LOCKED}, so the
 * test holds the old rows locked ({@link DatabaseHold}) until the moment comes, then waits until they are gone.
 *
 * <p>Each run ends with the connected devices' check ({@link FaultRun#deliveredLive}: everything within
 * {@link FaultRun#LIVE_BOUND} without reconnecting), then the usual verdict.
 */
class GatewayRestartIT {

    private static final String NODE = "gw-1";
    /** NODE_EXPIRY (5 s) and a reap interval (1 s) after the kill, with room for a busy machine. */
    private static final Duration REAPED_WITHIN = Duration.ofSeconds(30);
    private static final Duration BACK_WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path stateRoot;
    private final FaultRun run = new FaultRun();

    @AfterEach
    void tearDown() {
        run.close();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void reapedBeforeTheNodeComesBack() {
        ServiceProcess gateway = start("restart-reaped-first", 61);
        Set<String> old = rows();
        gateway.kill9();
        awaitReaped(old);
        gateway.restart();
        awaitAllSynced();
        run.sendsOkd(40);
        run.deliveredLive("reaped before the restart");
        run.finishAndCheck();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void reapedAfterTheNewIncarnationBeforeAnyClientIsBack() {
        ServiceProcess gateway = start("restart-reaped-between", 62);
        Set<String> before = incarnation();
        List<ChatClient> clients = run.world().clients();
        Set<String> old = killAndRestartReaperHeldOff(gateway, () -> clients.forEach(ChatClient::suspend),
                () -> assertNotEquals(before, incarnation(), "the restarted node took its row over"));
        awaitReaped(old);
        clients.forEach(ChatClient::resume);
        awaitAllSynced();
        run.sendsOkd(40);
        run.deliveredLive("reaped between the new incarnation and the reconnects");
        run.finishAndCheck();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void reapedAfterEveryClientIsBackAndSynced() {
        ServiceProcess gateway = start("restart-reaped-last", 63);
        Set<String> old = killAndRestartReaperHeldOff(gateway, () -> { }, () -> {
            awaitAllSynced();
            run.sendsOkd(40); // the new sessions carry traffic while the reaper has not closed the old ones
        });
        awaitReaped(old);
        run.sendsOkd(40);
        run.deliveredLive("reaped after the reconnects");
        run.finishAndCheck();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void reapedWhileHalfTheClientsAreBack() {
        ServiceProcess gateway = start("restart-reaped-midway", 64);
        List<ChatClient> clients = run.world().clients();
        List<ChatClient> late = clients.subList(0, clients.size() / 2);
        List<ChatClient> early = clients.subList(clients.size() / 2, clients.size());
        Set<String> old = killAndRestartReaperHeldOff(gateway, () -> late.forEach(ChatClient::suspend),
                () -> Waits.until(() -> early.stream().allMatch(ChatClient::isSynced), BACK_WITHIN,
                        "the first half of the clients did not come back"));
        awaitReaped(old);
        late.forEach(ChatClient::resume);
        awaitAllSynced();
        run.sendsOkd(40);
        run.deliveredLive("reaped while half the clients were back");
        run.finishAndCheck();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void stoppedWithSigtermAndStartedAgain() {
        ServiceProcess gateway = start("restart-sigterm", 65);
        ServiceProcess.Stopped stopped = gateway.stop();
        assertTrue(stopped.byItself(), "the gateway did not drain and exit on SIGTERM");
        gateway.restart();
        awaitAllSynced();
        run.sendsOkd(40);
        run.deliveredLive("after a SIGTERM restart");
        run.finishAndCheck();
    }

    /** One gateway (every client on it), restarted on its port; the load has run a little. */
    private ServiceProcess start(String name, long seed) {
        run.start(name, SharedInfrastructure.kafka().bootstrapServers(), stateRoot, 1, 1, seed);
        ServiceProcess gateway = run.stack().gateway(1);
        gateway.pinPort();
        run.sendsOkd(60);
        return gateway;
    }

    /**
     * kill -9 and a restart while the dead incarnation's rows are held from the reaper: {@code beforeKill} and
     * {@code afterRestart} run while they are, and its pass comes once they are released, on return. Returns the
     * dead incarnation's session ids.
     */
    private Set<String> killAndRestartReaperHeldOff(ServiceProcess gateway, Runnable beforeKill, Runnable afterRestart) {
        try (DatabaseHold held = DatabaseHold.sessionRowsOf(run.stack(), NODE)) {
            Set<String> old = rows();
            beforeKill.run();
            gateway.kill9();
            gateway.restart();
            afterRestart.run();
            return old;
        }
    }

    private Set<String> rows() {
        return DatabaseHold.sessionIdsOf(run.stack(), NODE);
    }

    private Set<String> incarnation() {
        return DatabaseHold.incarnationOf(run.stack(), NODE);
    }

    private void awaitReaped(Set<String> old) {
        assertTrue(!old.isEmpty(), "the node had session rows before the fault");
        Waits.until(() -> rows().stream().noneMatch(old::contains), REAPED_WITHIN,
                () -> "the reaper did not take the dead incarnation's rows: " + rows());
    }

    private void awaitAllSynced() {
        Waits.until(() -> run.world().clients().stream().allMatch(ChatClient::isSynced), BACK_WITHIN,
                () -> "clients not synced on the restarted node: " + run.world().clients().stream()
                        .filter(c -> !c.isSynced()).map(ChatClient::label).toList());
    }
}
