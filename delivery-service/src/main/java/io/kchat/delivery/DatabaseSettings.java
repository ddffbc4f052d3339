package io.kchat.delivery;

import java.util.Objects;

/**
 * Where the delivery-service's PostgreSQL is and how many connections it may hold.
 *
 * @param url      JDBC URL, e.g. {@code jdbc:postgresql://host:5432/kchat}
 * @param user     database user
 * @param password its password; never printed by {@link #toString()}
 * @param poolSize most connections held at once: each worker uses one at a time
 */
public record DatabaseSettings(String url, String user, String password, int poolSize) {

    public static final String DEFAULT_USER = "postgres";
    /** Archiver, presence, typing and reaper use one connection each at a time; two spare. */
    public static final int DEFAULT_POOL_SIZE = 6;

    public DatabaseSettings {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(
                    "a database url is required (a JDBC URL, e.g. jdbc:postgresql://host:5432/kchat)");
        }
        user = user == null ? DEFAULT_USER : user;
        password = password == null ? "" : password;
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be >= 1");
        }
    }

    public static DatabaseSettings of(String url, String user, String password) {
        return new DatabaseSettings(url, user, password, DEFAULT_POOL_SIZE);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + ", password=***, poolSize=" + poolSize + "]";
    }
}
