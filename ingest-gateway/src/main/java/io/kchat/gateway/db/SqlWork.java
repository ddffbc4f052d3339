package io.kchat.gateway.db;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of JDBC work run on a connection lent by {@link Database}. */
@FunctionalInterface
public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
}
