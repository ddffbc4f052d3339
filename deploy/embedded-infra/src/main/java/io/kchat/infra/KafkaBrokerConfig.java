package io.kchat.infra;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** Broker properties of the single-node KRaft cluster (combined broker and controller). */
final class KafkaBrokerConfig {

    static final int NODE_ID = 1;
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private KafkaBrokerConfig() {
    }

    static Properties properties(Path logDir, int port, int controllerPort, Map<String, String> overrides) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        // A static voter set: nothing about the controller endpoint is written to the metadata log,
        // so the controller port may change from one start to the next.
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());

        // One broker: every internal topic and every default must fit replication factor 1.
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Internal topics default to 50 partitions; creating them would dominate the first test's run time.
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.num.partitions", "4");

        // After a SIGKILL the controller refuses the restarted broker's registration until the previous
        // incarnation's session expires (default 9 s); heartbeats here only cross the loopback interface.
        p.put("broker.session.timeout.ms", "4000");
        p.put("broker.heartbeat.interval.ms", "1000");

        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Fault tests use short consumer session timeouts so that a lost member is noticed quickly.
        p.put("group.min.session.timeout.ms", "1000");

        // Sized for a laptop or a 2-core CI machine rather than a production host; the log cleaner
        // otherwise allocates a 128 MB dedupe buffer on the heap of whoever embeds the broker.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));

        p.putAll(overrides);
        return p;
    }
}
