package io.kchat.fault;

import io.kchat.infra.SharedInfrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The same load with no fault: the harness and the checker agree with a healthy stack. */
class BaselineIT {

    @TempDir
    Path stateRoot;
    private Stack stack;
    private ChatWorld world;

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aHealthyStackDeliversEverythingOnceInOrder() {
        stack = Stack.start("baseline", SharedInfrastructure.kafka().bootstrapServers(), stateRoot, 1, 1);
        world = ChatWorld.create(stack::livePorts, 8, 1);
        LoadDriver load = world.startLoad(25, 1);
        load.awaitMoreOkd(200, Duration.ofSeconds(60));
        world.finishAndCheck("baseline", load, Duration.ofSeconds(60));
    }
}
