package io.kchat.fault;

import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.TopicCatalogue;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processor(s), delivery-service and gateway(s) as child JVMs on one broker, a unique topic prefix and a
 * fresh database, with timeouts tuned so that a killed instance is noticed in seconds. {@link #close()}
 * kills every child it started.
 */
final class Stack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Stack.class);

    /**
     * Settings of every fault run: gateways beat every second and a silent one is dead after 5 s, reaped every
     * second (guarantee 8 in seconds, not the default 30 s). The rest are the services' defaults, written here
     * so that the runs do not silently change with them: the processor's commit interval, its session timeout
     * (how long a killed or frozen processor keeps its partitions) and transaction timeout (how long its open
     * transaction holds back the read_committed readers of what it wrote, e.g. the archive; the broker looks for
     * timed-out transactions every 10 s, so count 10-20 s), and
     * the delivery-service's session timeout ({@code DeliveryCrashIT} waits that long for routing to resume). Gateways
     * check a session that waited 2 s for the user side (the safety net, 30 s by default), so a run can ask that
     * connected devices get everything within seconds ({@link FaultRun#LIVE_BOUND}).
     * A test may override them for its run ({@code ProcessorZombieIT} does).
     */
    static final Map<String, String> FAST_RECOVERY = Map.of(
            "NODE_HEARTBEAT", "1s",
            "NODE_EXPIRY", "5s",
            "NODE_REAP_INTERVAL", "1s",
            "PROCESSOR_COMMIT_INTERVAL", "1s",
            "PROCESSOR_SESSION_TIMEOUT", "10s",
            "PROCESSOR_TRANSACTION_TIMEOUT", "10s",
            "DELIVERY_SESSION_TIMEOUT", "10s",
            "WS_SESSION_CHECK", "2s");

    private final String name;
    private final Map<String, String> env;
    private final Path stateRoot;
    private final List<ServiceProcess> processors = new CopyOnWriteArrayList<>();
    private final List<ServiceProcess> gateways = new CopyOnWriteArrayList<>();
    private final List<ServiceProcess> everything = new CopyOnWriteArrayList<>();
    private ServiceProcess delivery;
    private ServiceProcess assistant;

    private Stack(String name, Map<String, String> env, Path stateRoot) {
        this.name = name;
        this.env = Map.copyOf(env);
        this.stateRoot = stateRoot;
    }

    /**
     * Starts {@code processors} processors, one delivery-service and {@code gateways} gateways and waits until
     * each serves. On failure, whatever was started is killed.
     *
     * @param bootstrapServers the broker (the shared one, or a child-process broker a test restarts)
     * @param stateRoot        where the processors keep their Streams state, one directory each
     */
    static Stack start(String name, String bootstrapServers, Path stateRoot, int processors, int gateways) {
        return start(name, bootstrapServers, stateRoot, processors, gateways, Map.of());
    }

    /** As {@link #start(String, String, Path, int, int)}, with {@code settings} of this run over FAST_RECOVERY. */
    static Stack start(String name, String bootstrapServers, Path stateRoot, int processors, int gateways,
                       Map<String, String> settings) {
        String prefix = SharedInfrastructure.uniquePrefix(name);
        Map<String, String> env = new HashMap<>(FAST_RECOVERY);
        env.putAll(settings);
        env.putAll(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "CHAT_TOPIC_PREFIX", prefix,
                "DATABASE_URL", SharedInfrastructure.freshDatabase(name),
                "DATABASE_USER", SharedInfrastructure.postgres().user(),
                "DATABASE_PASSWORD", SharedInfrastructure.postgres().password(),
                "CDC_SLOT_NAME", prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "outbox",
                "CHAT_BIND_ADDRESS", "127.0.0.1",
                "CHAT_PORT", "0",
                // several processors and a delivery-service on one machine: each its own free health port
                "HEALTH_PORT", "0"));
        Stack stack = new Stack(name, env, stateRoot);
        try {
            // delivery first: it migrates the database (the processor does not, and its CDC engine needs the
            // tables) and creates the topics
            stack.launchDelivery().awaitReady();
            List<ServiceProcess> starting = new ArrayList<>();
            for (int i = 1; i <= processors; i++) {
                starting.add(stack.launchProcessor(i));
            }
            for (int i = 1; i <= gateways; i++) {
                starting.add(stack.launchGateway(i));
            }
            starting.forEach(ServiceProcess::awaitReady);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        log.info("stack {} up: topics {}*, database {}", name, prefix, env.get("DATABASE_URL"));
        return stack;
    }

    /** The prefix of this run's topics (and of its consumer groups). */
    String topicPrefix() {
        return env.get("CHAT_TOPIC_PREFIX");
    }

    ServiceProcess processor(int number) {
        return processors.get(number - 1);
    }

    ServiceProcess delivery() {
        return delivery;
    }

    /** The assistant worker, once {@link #startAssistant()} started it. */
    ServiceProcess assistant() {
        return assistant;
    }

    /** Starts an assistant worker with this stack's settings (a model among them) and waits until it serves. */
    ServiceProcess startAssistant() {
        assistant = ServiceProcess.launch(Service.ASSISTANT, name + "-assistant", env);
        everything.add(assistant);
        return assistant.awaitReady();
    }

    ServiceProcess gateway(int number) {
        return gateways.get(number - 1);
    }

    /** Ports of the gateways running now, gateway 1 first. */
    List<Integer> livePorts() {
        return gateways.stream().filter(ServiceProcess::isAlive).map(ServiceProcess::port).toList();
    }

    /** Ports of all gateways ever started, dead ones included: a client's preferred index stays stable. */
    List<Integer> allPorts() {
        return gateways.stream().map(ServiceProcess::port).toList();
    }

    /** The run's topics (their names carry the run's prefix). */
    TopicCatalogue topics() {
        return new TopicCatalogue(env.get("CHAT_TOPIC_PREFIX"));
    }

    String bootstrapServers() {
        return env.get("KAFKA_BOOTSTRAP_SERVERS");
    }

    /** A connection to the run's database, to compare what it committed with what the system did. */
    Connection openDatabase() throws SQLException {
        return DriverManager.getConnection(env.get("DATABASE_URL"), env.get("DATABASE_USER"),
                env.get("DATABASE_PASSWORD"));
    }

    /** How many processor instances own partitions now (members of the Streams group with an assignment). */
    int processorsWithPartitions() {
        String group = env.get("CHAT_TOPIC_PREFIX") + "kchat-processor";
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.get("KAFKA_BOOTSTRAP_SERVERS")))) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                    .get(30, TimeUnit.SECONDS).get(group);
            return (int) description.members().stream()
                    .filter(member -> !member.assignment().topicPartitions().isEmpty()).count();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe group " + group, e);
        }
    }

    /**
     * Kills every child, then drops the run's replication slot so that slots do not pile up. The
     * delivery-service is stopped with SIGTERM first (SIGKILL after a few seconds) so that it leaves its
     * consumer groups at once rather than after its session timeout (its group ids carry the run's prefix
     * now, so another run would not wait for it either way).
     */
    @Override
    public void close() {
        if (delivery != null) {
            delivery.stop(Duration.ofSeconds(10));
        }
        for (ServiceProcess child : everything) {
            try {
                child.close();
            } catch (RuntimeException e) {
                log.warn("cannot kill {}", child.name(), e);
            }
        }
        dropReplicationSlot();
    }

    private ServiceProcess launchProcessor(int number) {
        Map<String, String> settings = new HashMap<>(env);
        settings.put("CHAT_STATE_DIR", stateRoot.resolve("processor-" + number).toString());
        ServiceProcess processor = ServiceProcess.launch(Service.PROCESSOR, name + "-processor-" + number, settings);
        processors.add(processor);
        everything.add(processor);
        return processor;
    }

    private ServiceProcess launchDelivery() {
        delivery = ServiceProcess.launch(Service.DELIVERY, name + "-delivery", env);
        everything.add(delivery);
        return delivery;
    }

    private ServiceProcess launchGateway(int number) {
        Map<String, String> settings = new HashMap<>(env);
        settings.put("CHAT_NODE_ID", "gw-" + number);
        ServiceProcess gateway = ServiceProcess.launch(Service.GATEWAY, name + "-gw-" + number, settings);
        gateways.add(gateway);
        everything.add(gateway);
        return gateway;
    }

    /** The slot outlives the killed processors; it is released a moment after their connections drop. */
    private void dropReplicationSlot() {
        String slot = env.get("CDC_SLOT_NAME");
        try (Connection db = DriverManager.getConnection(env.get("DATABASE_URL"), env.get("DATABASE_USER"),
                env.get("DATABASE_PASSWORD"))) {
            if (!Waits.poll(() -> dropIfInactive(db, slot), Duration.ofSeconds(10))) {
                log.warn("replication slot {} still active; left in place", slot);
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("cannot drop replication slot {}", slot, e);
        }
    }

    /** True once the slot is gone. */
    private static boolean dropIfInactive(Connection db, String slot) {
        try (PreparedStatement drop = db.prepareStatement("SELECT pg_drop_replication_slot(slot_name) "
                + "FROM pg_replication_slots WHERE slot_name = ? AND NOT active");
             PreparedStatement exists = db.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            drop.setString(1, slot);
            drop.executeQuery().close();
            exists.setString(1, slot);
            try (ResultSet rows = exists.executeQuery()) {
                return !rows.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop replication slot " + slot, e);
        }
    }
}
