package io.kchat.infra;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.util.LinuxUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerIT {

    @Test
    void serverIsDurableAndReadyForLogicalReplication() throws Exception {
        EmbeddedPostgresServer postgres = SharedInfrastructure.postgres();
        try (Connection c = postgres.connect(EmbeddedPostgresServer.DATABASE)) {
            assertEquals("logical", show(c, "wal_level"));
            assertEquals("on", show(c, "synchronous_commit"));
            assertEquals("on", show(c, "fsync"));
            assertEquals("10", show(c, "max_replication_slots"));
            assertEquals("10", show(c, "max_wal_senders"));
            assertEquals("127.0.0.1", show(c, "listen_addresses"));
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_create_logical_replication_slot('it_slot', 'pgoutput')");
                try (ResultSet rs = s.executeQuery("SELECT plugin FROM pg_replication_slots WHERE slot_name = 'it_slot'")) {
                    assertTrue(rs.next());
                    assertEquals("pgoutput", rs.getString(1));
                }
                s.execute("SELECT pg_drop_replication_slot('it_slot')");
            }
        }
    }

    @Test
    void passwordIsRequiredOverTcp() throws Exception {
        EmbeddedPostgresServer postgres = SharedInfrastructure.postgres();
        assertEquals("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/kchat", postgres.jdbcUrl());
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password())) {
            assertEquals("kchat", c.getCatalog());
        }
        // pg_reload_conf() is asynchronous: wait until the new pg_hba.conf is in force.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThrows(SQLException.class,
                () -> DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "wrong").close()));
    }

    @Test
    void freshDatabasesAreEmptyAndSeparate() throws Exception {
        EmbeddedPostgresServer postgres = SharedInfrastructure.postgres();
        String first = SharedInfrastructure.freshDatabase("Fresh-DB test");
        String second = SharedInfrastructure.freshDatabase("Fresh-DB test");
        assertFalse(first.equals(second));
        try (Connection c = DriverManager.getConnection(first, postgres.user(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE only_in_first (id int)");
        }
        try (Connection c = DriverManager.getConnection(second, postgres.user(), postgres.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_first'")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getInt(1));
        }
    }

    @Test
    void dataSurvivesCloseAndReopenOnTheSameDirAndPort(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("pg");
        int port;
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, 0, "first-secret")) {
            port = postgres.port();
            try (Connection c = postgres.connect(EmbeddedPostgresServer.DATABASE); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE messages (id int PRIMARY KEY, body text)");
                s.execute("INSERT INTO messages VALUES (1, 'kept')");
            }
        }
        assertFalse(Files.exists(dataDir.resolve("postmaster.pid")));

        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, port, "second-secret")) {
            assertEquals(port, postgres.port());
            assertEquals(List.of("kept"), bodies(postgres));
        }
    }

    /** What a JVM killed with SIGKILL leaves: a postmaster still running, nobody holding zonky's lock. */
    @Test
    void startStopsAnOrphanedPostmasterOfTheSameDataDir(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("pg");
        int port;
        Path pgCtl;
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, 0)) {
            port = postgres.port();
            pgCtl = pgCtlOf(dataDir);
            try (Connection c = postgres.connect(EmbeddedPostgresServer.DATABASE); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE messages (id int PRIMARY KEY, body text)");
                s.execute("INSERT INTO messages VALUES (1, 'before-crash')");
            }
        }
        List<String> pgCtlStart = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            // As root, postgres only runs in a user namespace; zonky does the same.
            pgCtlStart.addAll(List.of("unshare", "-U"));
        }
        pgCtlStart.addAll(List.of(pgCtl.toString(), "-D", dataDir.toString(), "-l", tmp.resolve("orphan.log").toString(),
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1", "-w", "start"));
        run(pgCtlStart);
        long orphanPid = pidIn(dataDir);
        assertTrue(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false));

        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, port)) {
            assertFalse(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false));
            assertEquals(List.of("before-crash"), bodies(postgres));
        }
    }

    @Test
    void startIgnoresAStalePidFileWhosePidWasReused(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("pg");
        int port;
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, 0)) {
            port = postgres.port();
        }
        // A killed postmaster's pid now belongs to another live process: this JVM stands in for it.
        Files.writeString(dataDir.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + dataDir + "\n");

        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, port);
             Connection c = postgres.connect(EmbeddedPostgresServer.DATABASE)) {
            assertEquals("logical", show(c, "wal_level"));
        }
    }

    private static List<String> bodies(EmbeddedPostgresServer postgres) throws SQLException {
        try (Connection c = postgres.connect(EmbeddedPostgresServer.DATABASE);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT body FROM messages ORDER BY id")) {
            List<String> bodies = new ArrayList<>();
            while (rs.next()) {
                bodies.add(rs.getString(1));
            }
            return bodies;
        }
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    private static long pidIn(Path dataDir) throws Exception {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8).get(0).strip());
    }

    private static Path pgCtlOf(Path dataDir) throws Exception {
        String postgresBinary = ProcessHandle.of(pidIn(dataDir)).orElseThrow().info().command().orElseThrow();
        return Path.of(postgresBinary).resolveSibling("pg_ctl");
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "timed out: " + output);
        assertEquals(0, process.exitValue(), output);
    }
}
