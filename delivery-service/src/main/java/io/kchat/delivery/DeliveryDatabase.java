package io.kchat.delivery;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the delivery-service's connection pool, with the schema migrated before anything uses it. */
final class DeliveryDatabase {

    private static final Logger log = LoggerFactory.getLogger(DeliveryDatabase.class);
    private static final long CONNECTION_TIMEOUT_MS = 10_000;

    private DeliveryDatabase() {
    }

    /** A pool on {@code settings}, after applying the Flyway migrations shipped in the schemas jar. */
    static HikariDataSource open(DatabaseSettings settings) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("delivery-db");
        hikari.setJdbcUrl(settings.url());
        hikari.setUsername(settings.user());
        hikari.setPassword(settings.password());
        hikari.setMaximumPoolSize(settings.poolSize());
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        // an archive batch of messages becomes multi-row INSERTs instead of one statement per message
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        // errors must not carry bound values (message bodies) into the logs
        hikari.addDataSourceProperty("logServerErrorDetail", "false");
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            // the gateway applies the same scripts; Flyway's lock lets whichever starts first do it
            MigrateResult result = Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            log.info("database schema migrated from {} ({} migrations applied now)",
                    result.initialSchemaVersion, result.migrationsExecuted);
            return pool;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }
}
