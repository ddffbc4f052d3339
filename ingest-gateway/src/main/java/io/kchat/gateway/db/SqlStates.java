package io.kchat.gateway.db;

import java.sql.SQLException;

/** PostgreSQL SQLSTATE codes the stores turn into domain answers. */
public final class SqlStates {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private SqlStates() {
    }

    public static boolean isUniqueViolation(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState());
    }

    /** A row naming one that is gone (e.g. a device logged out by another request a moment before). */
    public static boolean isForeignKeyViolation(SQLException e) {
        return FOREIGN_KEY_VIOLATION.equals(e.getSQLState());
    }
}
