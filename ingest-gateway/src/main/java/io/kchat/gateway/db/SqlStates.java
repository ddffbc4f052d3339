package io.kchat.gateway.db;

import java.sql.SQLException;

/** PostgreSQL SQLSTATE codes the stores turn into domain answers. */
public final class SqlStates {

    private static final String UNIQUE_VIOLATION = "23505";

    private SqlStates() {
    }

    public static boolean isUniqueViolation(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState());
    }
}
