package io.kchat.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky embedded binaries) listening on 127.0.0.1, with its data directory
 * kept between runs, durable commits ({@code fsync=on}, {@code synchronous_commit=on}) and logical
 * decoding enabled ({@code wal_level=logical}) for CDC.
 *
 * <p>Credentials: user {@value #USER} (the superuser created by initdb) with the password given at
 * start ({@value #DEFAULT_PASSWORD} by default). That is what DATABASE_USER / DATABASE_PASSWORD must hold:
 * TCP connections are authenticated with scram-sha-256, as with the docker-compose PostgreSQL. The
 * password is re-applied at every start, so changing it only takes a restart.
 *
 * <p>The postmaster runs as a separate OS process; {@link #close()} and a JVM shutdown hook stop it.
 * If the previous JVM was killed and left it running, the next start on the same directory stops it first.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String DATABASE = "kchat";
    public static final String USER = "postgres";
    public static final String DEFAULT_PASSWORD = "kchat";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final String password;
    private ShutdownHook shutdownHook;
    private boolean closed;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir, String password) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.password = password;
    }

    /** Same as {@link #start(Path, int, String)} with {@link #DEFAULT_PASSWORD}. */
    public static EmbeddedPostgresServer start(Path dataDir, int port) {
        return start(dataDir, port, DEFAULT_PASSWORD);
    }

    /**
     * Starts the server (running initdb first if the directory is new) and creates the {@value #DATABASE}
     * database if missing.
     *
     * @param dataDir  PostgreSQL data directory, kept after {@link #close()}
     * @param port     TCP port on 127.0.0.1; 0 picks a free one
     * @param password password of user {@value #USER}
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port, String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("A non-empty password is required");
        }
        long startNanos = System.nanoTime();
        Path dir = dataDir.toAbsolutePath();
        createDirectories(dir);
        StalePostmaster.clear(dir);
        boolean initialized = Files.exists(dir.resolve(PgHbaFile.FILE_NAME));
        if (initialized) {
            // zonky's readiness probe connects without a password; the password is applied right after.
            PgHbaFile.writeTrust(dir);
        }
        EmbeddedPostgres postgres = startPostmaster(dir, FreePorts.pickIfZero(port));
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, dir, password);
        try {
            server.applyPassword();
            server.createDatabaseIfMissing(DATABASE);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        server.shutdownHook = ShutdownHook.register("embedded-postgres-shutdown-" + server.port(), server::close);
        LOG.info("PostgreSQL ready on {} ({} data dir {}) in {} ms", server.jdbcUrl(),
                initialized ? "existing" : "new", dir, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        return server;
    }

    /**
     * For an owner that stops this server itself, in order, from its own shutdown hook: the JVM runs
     * hooks concurrently, so ours would stop the server under services that are still draining.
     */
    public synchronized void ownShutdown() {
        if (shutdownHook != null) {
            shutdownHook.remove();
            shutdownHook = null;
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/kchat}, without credentials (see {@link #user()}). */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    public String user() {
        return USER;
    }

    /** The password of {@link #user()}; required for every TCP connection. */
    public String password() {
        return password;
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Opens a connection to {@code database} as {@link #user()}. */
    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /**
     * Creates an empty database unless it exists.
     *
     * @param database lower-case SQL identifier ({@code [a-z_][a-z0-9_]*}, at most 63 characters)
     * @return its JDBC url
     */
    public String createDatabaseIfMissing(String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("Not a plain lower-case database name: " + database);
        }
        try (Connection connection = connect("postgres");
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    try (Statement create = connection.createStatement()) {
                        create.execute("CREATE DATABASE " + database);
                    }
                    LOG.info("Created database {}", database);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + database, e);
        }
        return jdbcUrl(database);
    }

    /** Stops the postmaster ({@code pg_ctl stop -m fast}) and waits; idempotent and safe from a shutdown hook. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            LOG.info("Stopping PostgreSQL on port {}", port());
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop PostgreSQL on port " + port(), e);
        } finally {
            if (shutdownHook != null) {
                shutdownHook.remove();
            }
        }
    }

    private static EmbeddedPostgres startPostmaster(Path dir, int port) {
        try {
            return EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(STARTUP_TIMEOUT)
                    // Our own hook, so that close() is the only way the server stops and callers can order it.
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_replication_slots", "10")
                    .setServerConfig("max_wal_senders", "10")
                    // zonky trades durability for speed (postgres -F, synchronous_commit=off); a kept data
                    // directory must survive a crash, so both are turned back on (-c comes after -F).
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start PostgreSQL in " + dir + " on port " + port, e);
        }
    }

    private void applyPassword() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
             Statement statement = connection.createStatement()) {
            // ALTER ROLE does not take bind parameters; the literal is quoted by doubling single quotes.
            statement.execute("ALTER ROLE " + USER + " WITH PASSWORD '" + password.replace("'", "''") + "'");
            PgHbaFile.writePassword(dataDir);
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not set the password of " + USER, e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create PostgreSQL data dir " + dir, e);
        }
    }
}
