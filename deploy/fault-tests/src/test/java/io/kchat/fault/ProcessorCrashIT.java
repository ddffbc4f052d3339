package io.kchat.fault;

import io.kchat.infra.SharedInfrastructure;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the streams-processor, three times under load, restarted each time on its state directory.
 * Its transactions in flight are aborted, yet delivery already read their output uncommitted (D3): the
 * replay must repeat exactly that output (D2), so clients may see duplicates but never two contents under
 * one seq or userSeq, a hole, or a loss.
 */
class ProcessorCrashIT {

    @TempDir
    Path stateRoot;
    private final FaultRun run = new FaultRun();

    @AfterEach
    void tearDown() {
        run.close();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void nothingIsLostDuplicatedOrReorderedWhenTheProcessorIsKilledThreeTimes() {
        run.start("processor-crash", SharedInfrastructure.kafka().bootstrapServers(), stateRoot, 1, 1, 11);
        run.sendsOkd(60);
        run.secondDevicesLeave();
        for (int kill = 1; kill <= 3; kill++) {
            run.stack().processor(1).kill9();
            run.sendsOkd(30); // the gateway keeps accepting: the commands wait in chat.inbound
            run.stack().processor(1).restart();
            run.echoesArrive(60); // sequencing resumed and caught up: the next kill hits live traffic
        }
        run.secondDevicesReturn();
        run.sendsOkd(40);
        run.finishAndCheck();
    }
}
