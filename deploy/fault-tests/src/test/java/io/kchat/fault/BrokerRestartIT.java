package io.kchat.fault;

import io.kchat.infra.ChildProcessKafka;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the Kafka broker itself under load (a child-process broker of this test alone), then a new
 * broker on the same data directory and port. Sends the gateway could not get acknowledged are refused or
 * time out and are retried by the clients; everything ok'd before or after is delivered exactly as usual.
 */
class BrokerRestartIT {

    @TempDir
    Path stateRoot;
    private final FaultRun run = new FaultRun();
    private final AtomicReference<ChildProcessKafka> broker = new AtomicReference<>();

    @AfterEach
    void tearDown() {
        run.close();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void nothingIsLostDuplicatedOrReorderedAcrossABrokerRestart() {
        Path data = stateRoot.resolve("kafka");
        broker.set(ChildProcessKafka.start(data, 0));
        run.closeAfterwards(() -> broker.get().close());
        run.start("broker-restart", broker.get().bootstrapServers(), stateRoot, 1, 1, 55);
        run.sendsOkd(100);
        int port = broker.get().port();
        run.secondDevicesLeave();
        broker.get().kill();
        broker.set(ChildProcessKafka.start(data, port));
        run.echoesArrive(100);
        run.secondDevicesReturn();
        run.sendsOkd(40);
        run.finishAndCheck();
    }
}
