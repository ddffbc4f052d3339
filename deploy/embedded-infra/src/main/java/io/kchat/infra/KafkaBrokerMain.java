package io.kchat.infra;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link EmbeddedKafka} as a process of its own, for tests that must kill the broker with SIGKILL.
 *
 * <p>Arguments: {@code <dataDir> <port> [broker.property=value ...]}. Prints one line starting with
 * {@link #READY_LINE_PREFIX} on stdout once the broker accepts requests; SIGTERM stops it cleanly.
 * With {@code -Dkchat.exitWithParent=true} it also exits when its parent process dies, so that a killed
 * test JVM does not leave a broker behind.
 */
public final class KafkaBrokerMain {

    public static final String READY_LINE_PREFIX = "kchat-kafka ready";
    static final String EXIT_WITH_PARENT_PROPERTY = "kchat.exitWithParent";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerMain.class);

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: KafkaBrokerMain <dataDir> <port> [broker.property=value ...]");
        }
        if (Boolean.getBoolean(EXIT_WITH_PARENT_PROPERTY)) {
            exitWhenParentDies();
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(Path.of(args[0]), Integer.parseInt(args[1]), overrides(args));
        // The ready line is this program's contract with whoever launched it, hence plain stdout.
        System.out.println(READY_LINE_PREFIX + " " + kafka.bootstrapServers() + " cluster " + kafka.clusterId());
        System.out.flush();
        kafka.awaitClosed();
    }

    private static Map<String, String> overrides(String[] args) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Expected broker.property=value, got " + args[i]);
            }
            overrides.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        return overrides;
    }

    private static void exitWhenParentDies() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            LOG.warn("Parent process {} exited; stopping the broker", parent.pid());
            System.exit(1);
        }));
    }
}
