package io.kchat.schemas;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node egress topics exist, for the writers of node egress (D18): the processor's user side and the
 * delivery-service's ephemeral fan-out. A route to a node without one (the node is gone) is dropped: a durable
 * event stays in the user's log and is replayed when the device reconnects elsewhere. Writing to a topic that does
 * not exist is never tried: a producer would wait for its metadata and, in a transaction, abort it.
 *
 * <p>The set is re-read every {@code refreshInterval}, and at once on a miss, because a node that just
 * started creates its topic right before its first session opens. A name that missed triggers no other
 * look-up for one interval, so a gone node does not cost one Admin call per item.
 * Shared by the threads of a process, hence synchronized; owns the Admin client.
 */
public final class EgressTopics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EgressTopics.class);
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final Function<String, String> topicOfNode;
    private final Duration refreshInterval;
    private final Clock clock;

    private Set<String> existing = Set.of();
    private Instant refreshedAt = Instant.MIN;
    private final Map<String, Instant> missedAt = new HashMap<>();

    public EgressTopics(Admin admin, Function<String, String> topicOfNode, Duration refreshInterval, Clock clock) {
        this.admin = admin;
        this.topicOfNode = topicOfNode;
        this.refreshInterval = refreshInterval;
        this.clock = clock;
    }

    /** The egress topic of {@code nodeId}, or {@code null} when that node has none. */
    public synchronized String topicOf(String nodeId) {
        String topic = topicOfNode.apply(nodeId);
        Instant now = clock.instant();
        if (!now.isBefore(refreshedAt.plus(refreshInterval))) {
            refresh(now);
        }
        if (existing.contains(topic)) {
            return topic;
        }
        Instant lastMiss = missedAt.get(topic);
        if (lastMiss == null || !now.isBefore(lastMiss.plus(refreshInterval))) {
            missedAt.put(topic, now);
            refresh(now);
        }
        return existing.contains(topic) ? topic : null;
    }

    /** Forget what is known, e.g. after a produce failed because a topic vanished. */
    public synchronized void invalidate() {
        refreshedAt = Instant.MIN;
        missedAt.clear();
    }

    private void refresh(Instant now) {
        // set first: a failing Admin is retried at the pace of the interval, not once per item
        refreshedAt = now;
        missedAt.values().removeIf(at -> at.isBefore(now.minus(refreshInterval)));
        try {
            existing = admin.listTopics().names().get(LIST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        } catch (ExecutionException | TimeoutException e) {
            // keep the previous set: better a stale view than dropping routes to nodes that exist
            log.warn("cannot list topics, keeping the previous view of {} egress topics", existing.size(), e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
