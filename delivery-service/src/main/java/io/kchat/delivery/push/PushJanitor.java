package io.kchat.delivery.push;

import io.kchat.delivery.loop.ServiceLoop;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes push_deliveries rows claimed more than {@link PushConfig#DELIVERY_RECORD_AGE} ago, every {@code interval}:
 * chat.push keeps a PushDue a day, so an older row can no longer stop a repeat. Every instance runs one; the deletes
 * are idempotent.
 */
public final class PushJanitor implements ServiceLoop {

    private static final Logger log = LoggerFactory.getLogger(PushJanitor.class);

    private final PushStore store;
    private final Duration interval;
    private final Clock clock;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    PushJanitor(PushStore store, Duration interval, Clock clock) {
        this.store = store;
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            do {
                cleanOnce();
            } while (!stopRequested.await(interval.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One pass; a failing database is logged and tried again at the next. */
    int cleanOnce() {
        try {
            int deleted = store.deleteDeliveriesBefore(clock.instant().minus(PushConfig.DELIVERY_RECORD_AGE));
            if (deleted > 0) {
                log.info("deleted {} push delivery records older than {}", deleted, PushConfig.DELIVERY_RECORD_AGE);
            }
            return deleted;
        } catch (SQLException e) {
            log.warn("push delivery records not cleaned up now: SQLSTATE {}", e.getSQLState());
            return 0;
        }
    }

    @Override
    public void stop() {
        stopRequested.countDown();
    }
}
