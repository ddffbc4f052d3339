package io.kchat.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the data directory's pg_hba.conf: TCP on loopback only, with or without a password. */
final class PgHbaFile {

    static final String FILE_NAME = "pg_hba.conf";

    private PgHbaFile() {
    }

    /** Passwordless loopback access; only used while the server starts and the password is (re)applied. */
    static void writeTrust(Path dataDir) {
        write(dataDir, "trust");
    }

    /** Password required on TCP; the Unix socket stays trusted for local admin tools such as psql. */
    static void writePassword(Path dataDir) {
        write(dataDir, "scram-sha-256");
    }

    static String content(String tcpMethod) {
        return """
                # Managed by io.kchat.infra.EmbeddedPostgresServer and rewritten at every start.
                # TYPE  DATABASE     USER  ADDRESS       METHOD
                local   all          all                 trust
                local   replication  all                 trust
                host    all          all   127.0.0.1/32  %1$s
                host    all          all   ::1/128       %1$s
                host    replication  all   127.0.0.1/32  %1$s
                host    replication  all   ::1/128       %1$s
                """.formatted(tcpMethod);
    }

    private static void write(Path dataDir, String tcpMethod) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.writeString(file, content(tcpMethod), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }
}
