package io.kchat.delivery.db;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Short JDBC transactions and the one place that tells a refused record from a failing database. */
public final class Transactions {

    /** Work on one connection inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    private Transactions() {
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public static <T> T run(DataSource database, Work<T> work) throws SQLException {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
        }
    }

    /**
     * A data exception (SQLSTATE class 22, e.g. a NUL character in a text) or an integrity violation
     * (class 23): the same values will be refused again, so retrying them is a crash loop.
     */
    public static boolean refusesTheData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** SQLSTATE and the server's own words, for logs: a batch error's text would list the statements. */
    public static String summary(SQLException e) {
        SQLException cause = e.getNextException() != null ? e.getNextException() : e;
        String message = String.valueOf(cause.getMessage());
        int end = message.indexOf('\n');
        return "SQLSTATE " + e.getSQLState() + ": " + (end < 0 ? message : message.substring(0, end));
    }
}
