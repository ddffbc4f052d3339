package io.kchat.delivery;

import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicProvisioner;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * {@link TopicProvisioner#ensure} retried while the broker's metadata catches up with topics it just created:
 * describing a topic right after creating it can fail with "does not host this topic-partition".
 */
final class TopicSetup {

    private static final int ATTEMPTS = 20;
    private static final Duration PAUSE = Duration.ofMillis(250);

    private TopicSetup() {
    }

    static void ensure(TopicProvisioner provisioner, Collection<? extends Topic<?, ?>> topics) {
        for (int attempt = 1; ; attempt++) {
            try {
                provisioner.ensure(topics);
                return;
            } catch (IllegalStateException e) {
                if (attempt == ATTEMPTS || !(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                LockSupport.parkNanos(PAUSE.toNanos());
            }
        }
    }
}
