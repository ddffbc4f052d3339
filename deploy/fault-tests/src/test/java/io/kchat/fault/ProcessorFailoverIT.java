package io.kchat.fault;

import io.kchat.infra.SharedInfrastructure;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processor instances share the partitions; one is killed with -9 and never comes back. The other
 * takes its tasks over (after the group notices, and after the dead one's open transaction times out) and
 * carries on from the committed state, repeating what the dead one had emitted uncommitted.
 */
class ProcessorFailoverIT {

    @TempDir
    Path stateRoot;
    private final FaultRun run = new FaultRun();

    @AfterEach
    void tearDown() {
        run.close();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void theSurvivingProcessorTakesOverWithoutLossOrContradiction() {
        run.start("processor-failover", SharedInfrastructure.kafka().bootstrapServers(), stateRoot, 2, 1, 44);
        run.sendsOkd(100);
        Waits.until(() -> run.stack().processorsWithPartitions() == 2, FaultRun.RECOVERY,
                "both processors should own partitions before one is killed");
        run.secondDevicesLeave();
        run.stack().processor(2).kill9();
        run.sendsOkd(60);
        run.echoesArrive(100); // only processor 1 is left to sequence them
        run.secondDevicesReturn();
        run.sendsOkd(40);
        run.finishAndCheck();
    }
}
