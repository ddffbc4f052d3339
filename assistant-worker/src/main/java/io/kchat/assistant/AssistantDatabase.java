package io.kchat.assistant;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the worker's connection pool, with the schema migrated as the other services do at start. */
final class AssistantDatabase {

    private static final Logger log = LoggerFactory.getLogger(AssistantDatabase.class);
    private static final long CONNECTION_TIMEOUT_MS = 10_000;

    private AssistantDatabase() {
    }

    static HikariDataSource open(DatabaseSettings settings) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("assistant-db");
        hikari.setJdbcUrl(settings.url());
        hikari.setUsername(settings.user());
        hikari.setPassword(settings.password());
        hikari.setMaximumPoolSize(settings.poolSize());
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        // errors must not carry bound values (message bodies) into the logs
        hikari.addDataSourceProperty("logServerErrorDetail", "false");
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            // the gateway and the delivery-service apply the same scripts; Flyway's lock lets one do it
            MigrateResult result = Flyway.configure().dataSource(pool).locations("classpath:db/migration").load()
                    .migrate();
            log.info("database schema migrated from {} ({} migrations applied now)", result.initialSchemaVersion,
                    result.migrationsExecuted);
            return pool;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }
}
