package io.kchat.delivery;

import com.zaxxer.hikari.HikariDataSource;
import io.kchat.infra.SharedInfrastructure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A fresh, migrated database on the shared PostgreSQL, with the seeding and querying the tests need. */
public final class TestDatabase implements AutoCloseable {

    static final Instant CREATED = Instant.parse("2030-01-01T00:00:00Z");

    private final DatabaseSettings settings;
    private final HikariDataSource pool;

    private TestDatabase(DatabaseSettings settings) {
        this.settings = settings;
        this.pool = DeliveryDatabase.open(settings);
    }

    public static TestDatabase fresh(String name) {
        return new TestDatabase(new DatabaseSettings(SharedInfrastructure.freshDatabase(name),
                SharedInfrastructure.postgres().user(), SharedInfrastructure.postgres().password(), 2));
    }

    public DatabaseSettings settings() {
        return settings;
    }

    public HikariDataSource pool() {
        return pool;
    }

    public void users(String... userIds) {
        for (String user : userIds) {
            execute("INSERT INTO users (user_id, username, display_name, created_at) VALUES (?, ?, ?, ?)",
                    user, user, user, utc(CREATED));
        }
    }

    /** A group conversation created at {@link #CREATED} with these members (users must exist). */
    public void conversation(String conversationId, String... members) {
        execute("INSERT INTO conversations (conversation_id, type, title, version, created_at, last_activity_at) "
                + "VALUES (?, 'group', ?, 1, ?, ?)", conversationId, conversationId, utc(CREATED), utc(CREATED));
        for (String member : members) {
            execute("INSERT INTO conversation_members (conversation_id, user_id, role, joined_at) "
                    + "VALUES (?, ?, 'member', ?)", conversationId, member, utc(CREATED));
        }
    }

    /** A gateway node whose last heartbeat was {@code secondsAgo} before the database's now(). */
    public void node(String nodeId, String incarnation, int secondsAgo) {
        execute("INSERT INTO nodes (node_id, incarnation, heartbeat_at) "
                + "VALUES (?, ?, now() - make_interval(secs => ?)) "
                + "ON CONFLICT (node_id) DO UPDATE SET incarnation = EXCLUDED.incarnation, "
                + "heartbeat_at = EXCLUDED.heartbeat_at", nodeId, incarnation, secondsAgo);
    }

    public void session(String sessionId, String userId, String nodeId, String incarnation) {
        execute("INSERT INTO sessions (session_id, user_id, device_id, node_id, incarnation, opened_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)", sessionId, userId, "dev-" + userId, nodeId, incarnation, utc(CREATED));
    }

    public void execute(String sql, Object... parameters) {
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = prepare(connection, sql, parameters)) {
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Every row as a list of column values (timestamps as {@link Instant}). */
    public List<List<Object>> rows(String sql, Object... parameters) {
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = prepare(connection, sql, parameters);
             ResultSet rows = statement.executeQuery()) {
            List<List<Object>> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<Object> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    Object value = rows.getObject(i);
                    row.add(value instanceof Timestamp ? rows.getObject(i, OffsetDateTime.class).toInstant() : value);
                }
                result.add(row);
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    @Override
    public void close() {
        pool.close();
    }
}
