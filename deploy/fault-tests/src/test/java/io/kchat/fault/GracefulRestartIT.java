package io.kchat.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.fault.ChatClient.Disconnect;
import io.kchat.infra.SharedInfrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rolling restart under load: SIGTERM, then a start, of each service in turn, as an orchestrator does it.
 * Each must drain and exit by itself:
 *
 * <ul>
 *   <li>the processor commits and leaves its group, so its partitions are free at once (no session timeout);</li>
 *   <li>the delivery-service commits its last batch only after what it routed was acknowledged;</li>
 *   <li>one of two gateways answers the frames it took, closes its sockets with 1001 (not a cut connection: 1006),
 *       and its clients move to the other gateway and send again what it refused.</li>
 * </ul>
 *
 * Then the usual check: ok'd before a stop means durable, so nothing is lost, duplicated or reordered.
 */
class GracefulRestartIT {

    private static final Logger log = LoggerFactory.getLogger(GracefulRestartIT.class);
    /** SHUTDOWN_DRAIN (10 s) bounds the gateway's drain; a clean stop of any service takes a few seconds. */
    private static final Duration STOP_WITHIN = Duration.ofSeconds(30);
    private static final Duration MOVED_WITHIN = Duration.ofSeconds(20);

    @TempDir
    Path stateRoot;
    private final FaultRun run = new FaultRun();

    @AfterEach
    void tearDown() {
        run.close();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void eachServiceDrainsOnSigtermAndNothingIsLost() {
        run.start("graceful-restart", SharedInfrastructure.kafka().bootstrapServers(), stateRoot, 1, 2, 44);
        run.sendsOkd(60);
        run.secondDevicesLeave();

        stop(run.stack().processor(1));
        assertEquals(0, run.stack().processorsWithPartitions(), "the stopped processor left its group");
        run.sendsOkd(20); // the gateways keep accepting: the commands wait in chat.inbound
        restart(run.stack().processor(1));
        run.echoesArrive(40);

        stop(run.stack().delivery());
        run.sendsOkd(20);
        run.echoesArrive(20); // delivered meanwhile: the delivery-service is off the live path (D18)
        restart(run.stack().delivery());
        run.echoesArrive(40);

        gatewayRestart();
        run.secondDevicesReturn();
        run.echoesArrive(40);
        run.finishAndCheck();
    }

    /** Gateway 2 stops; its clients are told 1001 and carry on on gateway 1; then it starts again (same node id). */
    private void gatewayRestart() {
        ServiceProcess doomed = run.stack().gateway(2);
        int doomedPort = doomed.port();
        int survivorPort = run.stack().gateway(1).port();
        Map<ChatClient, Integer> moving = new LinkedHashMap<>();
        run.world().clients().stream().filter(c -> c.isOnline() && c.port() == doomedPort)
                .forEach(c -> moving.put(c, c.disconnects().size()));
        assertFalse(moving.isEmpty(), "clients on the gateway to stop");

        stop(doomed);
        Waits.until(() -> moving.keySet().stream().allMatch(c -> c.isOnline() && c.port() == survivorPort),
                MOVED_WITHIN, "the clients of the stopped gateway did not move to the other one");
        moving.forEach((client, before) -> {
            List<Disconnect> since = client.disconnects().subList(before, client.disconnects().size());
            assertEquals(new Disconnect(doomedPort, 1001), since.getFirst(),
                    client.label() + " was not told to go elsewhere: " + since);
            assertTrue(since.stream().noneMatch(d -> d.code() == ChatClient.ABNORMAL_CLOSURE),
                    client.label() + " lost a connection abruptly: " + since);
        });
        log.info("{} clients of the stopped gateway got 1001 and moved to the other", moving.size());
        run.sendsOkd(30);
        restart(doomed);
    }

    private static void stop(ServiceProcess service) {
        ServiceProcess.Stopped stopped = service.stop(STOP_WITHIN);
        assertTrue(stopped.byItself(), service.name() + " did not exit on SIGTERM within " + STOP_WITHIN);
        log.info("drain: {} exited {} ms after SIGTERM", service.name(), stopped.took().toMillis());
    }

    private static void restart(ServiceProcess service) {
        long started = System.nanoTime();
        service.restart();
        log.info("drain: {} ready again {} ms after its restart", service.name(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
}
