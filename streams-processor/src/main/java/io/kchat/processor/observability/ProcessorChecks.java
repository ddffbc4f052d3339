package io.kchat.processor.observability;

import io.kchat.observability.CheckResult;
import io.kchat.observability.Checks;
import io.kchat.processor.cdc.CdcConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/** What the processor's readiness asks: Streams is RUNNING, and, with CDC on, its database answers. */
public final class ProcessorChecks {

    /** PostgreSQL's own timeouts, in seconds: the check must fail, not hang, when the database does not answer. */
    private static final String TIMEOUT_SECONDS = "2";

    private ProcessorChecks() {
    }

    /**
     * Up only while RUNNING: during a rebalance or a restore the instance processes nothing for the partitions
     * that move, and a rollout must wait for it.
     */
    public static Supplier<CheckResult> streamsRunning(KafkaStreams streams) {
        return () -> {
            KafkaStreams.State state = streams.state();
            return state == KafkaStreams.State.RUNNING ? CheckResult.healthy(state.name())
                    : CheckResult.unhealthy(state.name());
        };
    }

    /**
     * The CDC engine's database answers a fresh connection (the processor keeps no pool: the engine holds its own
     * replication connection).
     */
    public static Supplier<CheckResult> cdcDatabase(CdcConfig cdc) {
        return () -> {
            Properties properties = new Properties();
            properties.setProperty("user", cdc.user());
            properties.setProperty("password", cdc.password());
            properties.setProperty("connectTimeout", TIMEOUT_SECONDS);
            properties.setProperty("loginTimeout", TIMEOUT_SECONDS);
            properties.setProperty("socketTimeout", TIMEOUT_SECONDS);
            try (Connection connection = DriverManager.getConnection(cdc.jdbcUrl(), properties)) {
                return Checks.valid(connection);
            } catch (SQLException e) {
                return CheckResult.unhealthy(e.getMessage());
            }
        };
    }
}
