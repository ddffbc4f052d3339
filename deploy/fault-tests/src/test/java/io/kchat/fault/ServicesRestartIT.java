package io.kchat.fault;

import io.kchat.infra.SharedInfrastructure;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run in which the streams-processor, then the delivery-service, then the only gateway are killed with -9 and
 * started again (the gateway under its own node id and port, its clients reconnecting to it), each while the load
 * goes on: the sequence an outside test found devices deaf after. Connected devices must then get everything
 * within {@link FaultRun#LIVE_BOUND} without reconnecting, and the usual verdict holds.
 */
class ServicesRestartIT {

    @TempDir
    Path stateRoot;
    private final FaultRun run = new FaultRun();

    @AfterEach
    void tearDown() {
        run.close();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void processorThenDeliveryThenGatewayKilledAndRestartedInOneRun() {
        run.start("three-restarts", SharedInfrastructure.kafka().bootstrapServers(), stateRoot, 1, 1, 71);
        ServiceProcess gateway = run.stack().gateway(1);
        gateway.pinPort();
        run.sendsOkd(60);

        run.stack().processor(1).kill9();
        run.sendsOkd(20); // accepted meanwhile, waiting in chat.inbound
        run.stack().processor(1).restart();
        run.echoesArrive(40);

        run.stack().delivery().kill9();
        run.sendsOkd(20);
        run.echoesArrive(20); // delivered meanwhile: the delivery-service is off the live path (D18)
        run.stack().delivery().restart();
        run.echoesArrive(40);

        gateway.kill9();
        gateway.restart();
        run.sendsOkd(60);
        run.deliveredLive("after the processor, delivery and gateway restarts");
        run.finishAndCheck();
    }
}
