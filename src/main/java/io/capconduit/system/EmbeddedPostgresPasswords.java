package io.capconduit.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;

import org.postgresql.PGConnection;

/**
 * Makes the embedded PostgreSQL ask every connection for a password. zonky's initdb trusts every local connection,
 * so any local process could sign in as the superuser, read the SIP and AMI secrets or run {@code COPY ... TO
 * PROGRAM}. After each start the roles get SCRAM passwords (replacing an md5 one, or none, of an older data
 * folder), pg_hba.conf becomes scram-sha-256 for the socket and loopback, and the server reloads it. The superuser's
 * password is random, kept in the data folder ({@value #SUPERUSER_PASSWORD_FILE}, readable by its owner only).
 */
final class EmbeddedPostgresPasswords {

    static final String SUPERUSER = "postgres";
    static final String SUPERUSER_PASSWORD_FILE = "superuser-password";

    private static final String HBA_MARKER = "# CapConduit: every connection gives a password (SCRAM-SHA-256)";
    private static final String HBA = HBA_MARKER + ", rewritten at each start.\n" + """
            # The superuser postgres has its password in the file superuser-password beside this one.
            local   all             all                                     scram-sha-256
            host    all             all             127.0.0.1/32            scram-sha-256
            host    all             all             ::1/128                 scram-sha-256
            local   replication     all                                     scram-sha-256
            host    replication     all             127.0.0.1/32            scram-sha-256
            host    replication     all             ::1/128                 scram-sha-256
            """;
    private static final Duration RELOAD_WAIT = Duration.ofSeconds(10);

    private final Path dataDir;
    private final String superuserPassword;
    private final boolean stored;

    private EmbeddedPostgresPasswords(Path dataDir, String superuserPassword, boolean stored) {
        this.dataDir = dataDir;
        this.superuserPassword = superuserPassword;
        this.stored = stored;
    }

    /** The data folder's superuser password, or a new one for a folder that has none yet (stored by {@link #apply}). */
    static EmbeddedPostgresPasswords of(Path dataDir) throws IOException {
        Path file = dataDir.resolve(SUPERUSER_PASSWORD_FILE);
        if (Files.isRegularFile(file)) {
            return new EmbeddedPostgresPasswords(dataDir, Files.readString(file).strip(), true);
        }
        Path hba = dataDir.resolve("pg_hba.conf");
        if (Files.isRegularFile(hba) && Files.readString(hba).contains(HBA_MARKER)) {
            throw new EmbeddedPostgresServer.EmbeddedDatabaseException("The embedded PostgreSQL in " + dataDir
                    + " asks for passwords, but its superuser password file " + file + " is missing: restore it, or "
                    + "start on a new capconduit.embedded-db.data-dir", null);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return new EmbeddedPostgresPasswords(dataDir,
                Base64.getUrlEncoder().withoutPadding().encodeToString(random), false);
    }

    String superuserPassword() {
        return superuserPassword;
    }

    /**
     * Stores both passwords as SCRAM verifiers (computed by the driver: no password travels in SQL), then requires
     * passwords of every connection. {@code superuser} is a connection of the superuser.
     */
    void apply(Connection superuser, String role, String rolePassword) throws IOException, SQLException {
        if (!stored) {
            store();
        }
        PGConnection pg = superuser.unwrap(PGConnection.class);
        pg.alterUserPassword(SUPERUSER, superuserPassword.toCharArray(), "scram-sha-256");
        pg.alterUserPassword(role, rolePassword.toCharArray(), "scram-sha-256");
        Files.writeString(dataDir.resolve("pg_hba.conf"), HBA);
        try (Statement s = superuser.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    throw new EmbeddedPostgresServer.EmbeddedDatabaseException("PostgreSQL refuses the pg_hba.conf "
                            + "written to " + dataDir, null);
                }
            }
            s.execute("SELECT pg_reload_conf()");
        }
    }

    /** Waits until the reloaded pg_hba.conf is in force: a connection without a password is turned away. */
    static void awaitPasswordsRequired(int port) throws SQLException {
        long deadline = System.nanoTime() + RELOAD_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                    SUPERUSER, null)) {
                Thread.sleep(20);
            }
            catch (SQLException ex) {
                // 08004: the server asked for a password and the driver had none to give
                if ("08004".equals(ex.getSQLState()) || String.valueOf(ex.getSQLState()).startsWith("28")) {
                    return;
                }
                throw ex;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new EmbeddedPostgresServer.EmbeddedDatabaseException("The embedded PostgreSQL on port " + port
                + " still lets connections in without a password after reloading pg_hba.conf", null);
    }

    private void store() throws IOException {
        Path file = dataDir.resolve(SUPERUSER_PASSWORD_FILE);
        Path written = Files.createTempFile(dataDir, SUPERUSER_PASSWORD_FILE, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(written, superuserPassword + "\n");
        Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
