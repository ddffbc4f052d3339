package io.kchat.assistant.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.kchat.assistant.DatabaseSettings;
import io.kchat.infra.SharedInfrastructure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import org.flywaydb.core.Flyway;

/**
 * A fresh, migrated database on the shared PostgreSQL, seeded as the gateway (conversations) and the delivery-service
 * (the archive) would.
 */
final class ArchiveDatabase implements AutoCloseable {

    private static final Instant CREATED = Instant.parse("2030-01-01T00:00:00Z");

    private final DatabaseSettings settings;
    private final HikariDataSource pool;

    private ArchiveDatabase(DatabaseSettings settings) {
        this.settings = settings;
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(settings.url());
        hikari.setUsername(settings.user());
        hikari.setPassword(settings.password());
        hikari.setMaximumPoolSize(2);
        this.pool = new HikariDataSource(hikari);
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
    }

    static ArchiveDatabase fresh(String name) {
        return new ArchiveDatabase(new DatabaseSettings(SharedInfrastructure.freshDatabase(name),
                SharedInfrastructure.postgres().user(), SharedInfrastructure.postgres().password(), 4));
    }

    DatabaseSettings settings() {
        return settings;
    }

    void users(String... userIds) {
        for (String user : userIds) {
            execute("INSERT INTO users (user_id, username, display_name, created_at) VALUES (?, ?, ?, ?)",
                    user, user, user, CREATED.atOffset(ZoneOffset.UTC));
        }
    }

    /** A conversation of {@code type} ('assistant' or 'group') with these members besides the assistant's user. */
    void conversation(String conversationId, String type, String... members) {
        execute("INSERT INTO conversations (conversation_id, type, version, created_at, last_activity_at) "
                + "VALUES (?, ?, 1, ?, ?)", conversationId, type, CREATED.atOffset(ZoneOffset.UTC),
                CREATED.atOffset(ZoneOffset.UTC));
        for (String member : members) {
            execute("INSERT INTO conversation_members (conversation_id, user_id, role, joined_at) "
                    + "VALUES (?, ?, 'member', ?)", conversationId, member, CREATED.atOffset(ZoneOffset.UTC));
        }
    }

    /** A message archived, with the conversation's archive watermark moved to it. */
    void archived(String conversationId, long seq, String senderId, String body, boolean failed) {
        execute("INSERT INTO messages (conversation_id, seq, message_id, client_id, sender_id, sender_device_id, body, "
                        + "ts, failed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", conversationId, seq, conversationId + ":" + seq,
                "c" + seq, senderId, "d", body, CREATED.atOffset(ZoneOffset.UTC), failed);
        execute("UPDATE conversations SET last_seq = GREATEST(last_seq, ?) WHERE conversation_id = ?", seq,
                conversationId);
    }

    private void execute(String sql, Object... parameters) {
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
