package io.kchat.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fault run: a {@link Stack}, a {@link ChatWorld} on it and the load. {@link #close()} (called from each
 * test's {@code @AfterEach}) ends the clients, then kills every child process, whatever happened.
 */
final class FaultRun implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FaultRun.class);
    static final int USERS = 8;
    static final double MESSAGES_PER_SECOND = 20;
    static final Duration RECOVERY = Duration.ofSeconds(90);
    static final Duration FINISH = Duration.ofSeconds(60);
    /**
     * How soon a connected device must have everything once the load stops, without reconnecting: the safety net
     * checks a waiting session after 1.25 x WS_SESSION_CHECK (2 s in these runs, {@link Stack#FAST_RECOVERY}),
     * and the user side answers within a trip through Kafka; the rest is room for a busy 2-core machine.
     */
    static final Duration LIVE_BOUND = Duration.ofSeconds(15);

    private final List<AutoCloseable> resources = new ArrayList<>();
    /** What the processors print, across their restarts: their repairs of session checks are counted. */
    private final List<ServiceLog> processorLogs = new ArrayList<>();
    private Stack stack;
    private ChatWorld world;
    private LoadDriver load;
    private long startedAt;
    private String name;

    /** Starts the stack and the world, then the load. */
    FaultRun start(String name, String bootstrapServers, Path stateRoot, int processors, int gateways, long seed) {
        return start(name, bootstrapServers, stateRoot, processors, gateways, seed, Map.of());
    }

    /** As {@link #start(String, String, Path, int, int, long)}, with settings of this run over the stack's. */
    FaultRun start(String name, String bootstrapServers, Path stateRoot, int processors, int gateways, long seed,
                   Map<String, String> settings) {
        startedAt = System.nanoTime();
        this.name = name;
        stack = Stack.start(name, bootstrapServers, stateRoot, processors, gateways, settings);
        for (int i = 1; i <= processors; i++) {
            processorLogs.add(ServiceLog.of(stack.processor(i)));
        }
        world = ChatWorld.create(stack::livePorts, USERS, gateways);
        load = world.startLoad(MESSAGES_PER_SECOND, seed);
        return this;
    }

    /** Something else to close after the stack (e.g. a child-process broker). */
    void closeAfterwards(AutoCloseable resource) {
        resources.add(resource);
    }

    Stack stack() {
        return stack;
    }

    ChatWorld world() {
        return world;
    }

    LoadDriver load() {
        return load;
    }

    /** Waits until {@code count} more sends were ok'd: the fault then hits a system in the middle of a run. */
    void sendsOkd(int count) {
        load.awaitMoreOkd(count, RECOVERY);
    }

    /** Waits until {@code count} more echoes arrived: sequencing and delivery work again. */
    void echoesArrive(int count) {
        world.awaitEchoes(count, RECOVERY);
    }

    /**
     * Stops the load; every connected device must then get everything within {@link #LIVE_BOUND} without
     * reconnecting (see {@link ChatWorld#awaitDeliveredLive}). The last step before {@link #finishAndCheck()}.
     */
    void deliveredLive(String step) {
        world.awaitDeliveredLive(step, LIVE_BOUND);
    }

    /**
     * The second devices of their users go offline (cleanly) before a fault: they will read from the
     * committed log what their users' other devices got live, possibly from output that was later aborted.
     */
    void secondDevicesLeave() {
        world.secondDevices().forEach(ChatClient::goOffline);
    }

    /** The second devices come back and replay what was queued for them. */
    void secondDevicesReturn() {
        world.secondDevices().forEach(ChatClient::resume);
    }

    /** Stops the load and checks everything the clients got. */
    void finishAndCheck() {
        world.finishAndCheck(name, load, FINISH, this::healedByChecks);
        log.info("run took {} s", (System.nanoTime() - startedAt) / 1_000_000_000);
    }

    /** Session checks the processors answered with a repair so far (each is logged as "session check healed"). */
    long healedByChecks() {
        return processorLogs.stream().mapToLong(log -> log.linesWith("session check healed").size()).sum();
    }

    /**
     * Runs whatever the test left behind, also after a {@code @Timeout} interrupted it: the interrupt is set
     * aside so that the children are stopped as usual, and restored afterwards.
     */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted();
        try {
            closeAll();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeAll() {
        processorLogs.forEach(ServiceLog::close);
        if (world != null) {
            world.close();
        }
        if (stack != null) {
            stack.close();
        }
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("cannot close {}", resource, e);
            }
        }
    }
}
