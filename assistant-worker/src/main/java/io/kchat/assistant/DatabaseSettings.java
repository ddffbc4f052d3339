package io.kchat.assistant;

import java.util.Objects;

/**
 * Where the worker reads conversation types and the archive, and how many connections it may hold.
 *
 * @param password never printed by {@link #toString()}
 * @param poolSize the consumer's type lookups and the answers' context reads share it; each holds one briefly
 */
public record DatabaseSettings(String url, String user, String password, int poolSize) {

    public static final int DEFAULT_POOL_SIZE = 4;

    public DatabaseSettings {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("a database url is required, e.g. jdbc:postgresql://host:5432/kchat");
        }
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be >= 1");
        }
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + ", password=***, poolSize=" + poolSize + "]";
    }
}
