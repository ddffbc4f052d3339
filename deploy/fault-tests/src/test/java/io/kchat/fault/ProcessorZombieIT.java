package io.kchat.fault;

import io.kchat.infra.SharedInfrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zombie of D2: one of two processors is frozen (SIGSTOP) in the middle of its work for longer than its
 * session and transaction timeouts, so the other one takes its tasks over and goes on; then it is thawed.
 * Until it learns it was fenced, the zombie goes on processing what it had fetched and writing output, which
 * the live path reads uncommitted (D3). Those writes may only repeat what the new owner emits for the same
 * input, never contradict it.
 */
class ProcessorZombieIT {

    /** Beyond the processor's session timeout and transaction timeout (10 s each). */
    private static final Duration FROZEN = Duration.ofSeconds(20);

    @TempDir
    Path stateRoot;
    private final FaultRun run = new FaultRun();

    @AfterEach
    void tearDown() {
        run.close();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aThawedZombieProcessorOnlyRepeatsWhatItsSuccessorEmits() throws InterruptedException {
        run.start("processor-zombie", SharedInfrastructure.kafka().bootstrapServers(), stateRoot, 2, 1, 66);
        run.sendsOkd(100);
        Waits.until(() -> run.stack().processorsWithPartitions() == 2, FaultRun.RECOVERY,
                "both processors should own partitions before one is frozen");
        run.secondDevicesLeave();
        run.stack().processor(2).freeze();
        Thread.sleep(FROZEN.toMillis());
        run.echoesArrive(60); // processor 1 took over
        run.stack().processor(2).thaw();
        run.sendsOkd(100);
        run.echoesArrive(100);
        run.secondDevicesReturn();
        run.finishAndCheck();
    }
}
