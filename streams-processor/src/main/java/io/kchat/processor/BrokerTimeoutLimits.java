package io.kchat.processor;

import io.kchat.settings.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker settings that bound the processor's {@link ProcessorConfig.Timeouts}. A stream thread whose
 * session timeout is outside the group bounds cannot join its group, and one whose transaction timeout is
 * above the broker's maximum cannot initialize its producer: either way the thread fails, and is replaced,
 * over and over. Read once at start, so that such a setting refuses the start and names the variable.
 */
record BrokerTimeoutLimits(Duration minSession, Duration maxSession, Duration maxTransaction) {

    static final String MIN_SESSION = "group.min.session.timeout.ms";
    static final String MAX_SESSION = "group.max.session.timeout.ms";
    static final String MAX_TRANSACTION = "transaction.max.timeout.ms";

    private static final Logger log = LoggerFactory.getLogger(BrokerTimeoutLimits.class);

    /** One sentence per setting the broker would refuse; empty when the timeouts fit. */
    List<String> violations(ProcessorConfig.Timeouts timeouts) {
        List<String> violations = new ArrayList<>();
        long session = timeouts.session().toMillis();
        if (session < minSession.toMillis() || session > maxSession.toMillis()) {
            violations.add("PROCESSOR_SESSION_TIMEOUT=" + Durations.format(timeouts.session()) + " is outside the broker's " + MIN_SESSION
                    + "=" + minSession.toMillis() + " .. " + MAX_SESSION + "=" + maxSession.toMillis());
        }
        long transaction = timeouts.transaction().toMillis();
        if (transaction > maxTransaction.toMillis()) {
            violations.add("PROCESSOR_TRANSACTION_TIMEOUT=" + Durations.format(timeouts.transaction()) + " is above the broker's "
                    + MAX_TRANSACTION + "=" + maxTransaction.toMillis());
        }
        return violations;
    }

    /**
     * Refuses timeouts the broker would refuse. When the limits cannot be read (e.g. no permission to describe
     * the broker's configuration), says so and lets the start go on: the broker still has the last word.
     *
     * @throws IllegalArgumentException naming each setting out of bounds
     */
    static void verify(Admin admin, ProcessorConfig.Timeouts timeouts, Duration timeout) throws InterruptedException {
        Optional<BrokerTimeoutLimits> limits = describe(admin, timeout);
        if (limits.isEmpty()) {
            return;
        }
        List<String> violations = limits.get().violations(timeouts);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", violations));
        }
    }

    /** The limits of one broker of the cluster (they are per broker; a cluster normally sets them alike). */
    static Optional<BrokerTimeoutLimits> describe(Admin admin, Duration timeout) throws InterruptedException {
        try {
            Collection<Node> nodes = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (nodes.isEmpty()) {
                log.warn("no broker to read the timeout limits from; not checking the processor's timeouts");
                return Optional.empty();
            }
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, nodes.iterator().next().idString());
            Config config = admin.describeConfigs(List.of(broker)).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(broker);
            Optional<Duration> minSession = millis(config, MIN_SESSION);
            Optional<Duration> maxSession = millis(config, MAX_SESSION);
            Optional<Duration> maxTransaction = millis(config, MAX_TRANSACTION);
            if (minSession.isEmpty() || maxSession.isEmpty() || maxTransaction.isEmpty()) {
                log.warn("broker {} does not report {}, {} and {}; not checking the processor's timeouts",
                        broker.name(), MIN_SESSION, MAX_SESSION, MAX_TRANSACTION);
                return Optional.empty();
            }
            return Optional.of(new BrokerTimeoutLimits(minSession.get(), maxSession.get(), maxTransaction.get()));
        } catch (ExecutionException | TimeoutException e) {
            log.warn("cannot read the broker's timeout limits ({}); not checking the processor's timeouts",
                    e.getCause() == null ? e.toString() : e.getCause().toString());
            return Optional.empty();
        }
    }

    private static Optional<Duration> millis(Config config, String name) {
        ConfigEntry entry = config == null ? null : config.get(name);
        if (entry == null || entry.value() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofMillis(Long.parseLong(entry.value().trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
