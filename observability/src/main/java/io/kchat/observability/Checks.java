package io.kchat.observability;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/** The readiness checks every service shares: the Kafka cluster and the database answer. */
public final class Checks {

    /** Within the default check timeout of {@link Health}, so that the check itself reports the slow answer. */
    public static final Duration TIMEOUT = Duration.ofMillis(1500);

    private Checks() {
    }

    /** Kafka answers a metadata request (describeCluster) within {@link #TIMEOUT}. */
    public static Supplier<CheckResult> kafka(Admin admin) {
        return () -> {
            try {
                Collection<Node> brokers = admin.describeCluster(
                                new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                        .nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return brokers.isEmpty() ? CheckResult.unhealthy("no broker in the cluster's answer")
                        : CheckResult.healthy(brokers.size() + (brokers.size() == 1 ? " broker" : " brokers"));
            } catch (ExecutionException e) {
                return CheckResult.unhealthy(e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
            } catch (TimeoutException e) {
                return CheckResult.unhealthy("no answer within " + TIMEOUT.toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CheckResult.unhealthy("interrupted");
            }
        };
    }

    /** A connection of the pool is valid (a round trip to the server) within {@link #TIMEOUT}. */
    public static Supplier<CheckResult> database(DataSource dataSource) {
        return () -> {
            try (Connection connection = dataSource.getConnection()) {
                return valid(connection);
            } catch (SQLException e) {
                return CheckResult.unhealthy(e.getMessage());
            }
        };
    }

    /** Whether {@code connection} answers within {@link #TIMEOUT} (rounded up to a second: JDBC's unit). */
    public static CheckResult valid(Connection connection) throws SQLException {
        int seconds = (int) Math.max(1, (TIMEOUT.toMillis() + 999) / 1000);
        return connection.isValid(seconds) ? CheckResult.healthy() : CheckResult.unhealthy("connection not valid");
    }
}
