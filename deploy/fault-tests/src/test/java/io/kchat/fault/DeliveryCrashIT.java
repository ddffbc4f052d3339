package io.kchat.fault;

import io.kchat.infra.SharedInfrastructure;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the delivery-service under load, then a restart. The delivery-service is off the live path (D18: the
 * user side writes to the node egress topics itself), so messages keep being delivered while it is down; its read
 * models (archive, presence) catch up after the restart, and nothing is lost, duplicated or reordered.
 */
class DeliveryCrashIT {

    @TempDir
    Path stateRoot;
    private final FaultRun run = new FaultRun();

    @AfterEach
    void tearDown() {
        run.close();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void nothingIsLostDuplicatedOrReorderedWhenDeliveryIsKilled() {
        run.start("delivery-crash", SharedInfrastructure.kafka().bootstrapServers(), stateRoot, 1, 1, 22);
        run.sendsOkd(100);
        run.secondDevicesLeave();
        run.stack().delivery().kill9();
        run.sendsOkd(60);
        run.echoesArrive(60); // delivered meanwhile: nothing on the live path waits for the delivery-service
        run.stack().delivery().restart();
        run.echoesArrive(40);
        run.secondDevicesReturn();
        run.sendsOkd(40);
        run.finishAndCheck();
    }
}
