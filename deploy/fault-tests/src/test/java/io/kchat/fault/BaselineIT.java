package io.kchat.fault;

import io.kchat.infra.SharedInfrastructure;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The same load with no fault: the harness and the checker agree with a healthy stack. */
class BaselineIT {

    @TempDir
    Path stateRoot;
    private final FaultRun run = new FaultRun();

    @AfterEach
    void tearDown() {
        run.close();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aHealthyStackDeliversEverythingOnceInOrder() {
        run.start("baseline", SharedInfrastructure.kafka().bootstrapServers(), stateRoot, 1, 1, 1);
        run.sendsOkd(200);
        run.deliveredLive("a healthy stack");
        run.finishAndCheck();
    }
}
