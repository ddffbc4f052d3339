package io.kchat.fault;

import io.kchat.infra.SharedInfrastructure;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the delivery-service under load, then a restart. It commits its offsets only after a batch
 * was routed, so the restart routes part of the stream again: the gateway and the clients drop the repeats
 * by userSeq, and nothing routed before the kill or queued during it is lost.
 *
 * <p>Routing resumes only once the group coordinator drops the killed member, after the delivery-service's
 * consumer session timeout (10 s), so part of this run is spent waiting for that.
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
        run.sendsOkd(60); // accepted and sequenced meanwhile, waiting in chat.deliveries
        run.stack().delivery().restart();
        run.echoesArrive(100);
        run.secondDevicesReturn();
        run.sendsOkd(40);
        run.finishAndCheck();
    }
}
