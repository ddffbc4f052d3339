package io.kchat.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * kill -9 of the processor that runs the Debezium engine right after a burst of membership changes, while the
 * relay is busy with them: their outbox rows are committed, some not relayed yet, some relayed but not yet
 * covered by a stored offset (offsets go to Kafka every second). The restarted engine resumes from its last
 * stored offset and sends those again; changes made while no engine ran wait in the outbox. Every change also
 * reached chat.inbound through the gateway's own publish, so the processor sees each one at least twice, the
 * repeats after newer versions: it must apply each version once, in order, and end where the database is.
 *
 * <p>Beside the usual load and the world's churned group, the owner of a few more groups keeps adding and
 * removing the other users and creating groups now and then. After the run, besides the usual checks
 * (membership-aware), {@link CdcAudit} holds every change against the database: on chat.inbound at least
 * twice (CDC lost none), applied once per concerned user in version order (the processor's committed output),
 * the owner's devices got the committed member sets in order, and a probe into each group reached exactly the
 * devices of the members the database has.
 */
class CdcCrashIT {

    private static final int GROUPS = 3;
    private static final int CREATE_EVERY = 8;
    private static final int MAX_GROUPS = 6;
    private static final Duration CHURN_INTERVAL = Duration.ofMillis(250);
    private static final int BURST = 24;
    private static final int WHILE_DOWN = 8;

    @TempDir
    Path stateRoot;
    private final FaultRun run = new FaultRun();

    @AfterEach
    void tearDown() {
        run.close();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void membershipChangesAreAppliedOnceInOrderAndEndAsTheDatabaseAcrossAnEngineKill() {
        run.start("cdc-crash", SharedInfrastructure.kafka().bootstrapServers(), stateRoot, 1, 1, 66);
        MembershipChurn churn = run.world().churn("cdc", 1, GROUPS, CREATE_EVERY, MAX_GROUPS);
        List<MembershipChurn> churns = List.of(run.world().worldChurn(), churn);
        CdcAudit audit = new CdcAudit(run.stack(), churns);
        run.closeAfterwards(audit);
        awaitRelayed(audit, versions(churns), "the engine never relayed the first changes");

        churn.start(CHURN_INTERVAL, 66);
        run.sendsOkd(40);
        run.secondDevicesLeave();
        churn.burst(BURST);
        long killedAt = System.currentTimeMillis();
        run.stack().processor(1).kill9(); // the relay is still busy with the burst
        churn.burst(WHILE_DOWN); // committed with their outbox rows; only the gateway's publish carries them now
        long restartedAt = System.currentTimeMillis();
        run.stack().processor(1).restart();
        run.echoesArrive(40);
        awaitRelayed(audit, versions(churns), "the restarted engine did not relay what was left in the outbox");
        run.secondDevicesReturn();
        run.sendsOkd(40);
        run.finishAndCheck();

        assertTrue(churns.stream().allMatch(MembershipChurn::exact), "every membership call was answered, so "
                + "the churns know what the database committed");
        CdcAudit.Result result = audit.check(run.world().clients().stream().map(ChatClient::history).toList(),
                killedAt, restartedAt);
        CdcAudit.log(result.counts());
        assertEquals(List.of(), result.wrong());
        assertTrue(result.counts().relayedAfterRestart() + result.counts().relayedAgain() > 0,
                "the kill should hit changes not relayed yet, or not under a stored offset: " + result.counts());
    }

    private static Map<String, Integer> versions(List<MembershipChurn> churns) {
        Map<String, Integer> versions = new LinkedHashMap<>();
        churns.forEach(churn -> versions.putAll(churn.versions()));
        return versions;
    }

    /** Every change made up to {@code versions} is on chat.inbound twice: the gateway's publish and the relay's. */
    private static void awaitRelayed(CdcAudit audit, Map<String, Integer> versions, String failure) {
        Waits.until(() -> audit.unrelayed(versions).isEmpty(), FaultRun.RECOVERY,
                () -> failure + ": " + DeliveryChecker.abbreviate(audit.unrelayed(versions)));
    }
}
