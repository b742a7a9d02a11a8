package io.capconduit.system;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedPostgresServerTests {

    @TempDir
    Path dataDir;

    @Test
    void thePropertiesPrintNoPassword() {
        assertThat(new EmbeddedDatabaseProperties(5433, Path.of("data"), "capconduit", "capconduit", "db-secret-9",
                false, "128MB", "1GB").toString()).contains("capconduit").contains("5433").doesNotContain("db-secret-9");
    }

    @Test
    void restartsOnTheSameDataFolderAndKeepsTheData() throws Exception {
        EmbeddedDatabaseProperties properties = properties(0);
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(properties)) {
            execute(server, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
        }
        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(properties);
                Connection c = connect(again);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void everyConnectionMustGiveItsRolesPassword() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(properties(0))) {
            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), "postgres", "wrong"))
                    .isInstanceOfSatisfying(SQLException.class, ex -> assertThat(ex.getSQLState()).isEqualTo("28P01"));
            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), "capconduit", "wrong"))
                    .isInstanceOfSatisfying(SQLException.class, ex -> assertThat(ex.getSQLState()).isEqualTo("28P01"));
            try (Connection c = connect(server)) {
                assertThat(c.isValid(1)).isTrue();
            }
            // the socket too (not reachable from Java): every rule asks for a SCRAM password
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), "postgres", superuserPassword());
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("scram-sha-256");
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("superuser-password"))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void aDataFolderFromBeforePasswordsGetsThemWithTheRolesPasswordStoredAsScram() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(properties(0))) {
            execute(server, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
        }
        // as an older CapConduit left it: initdb's trust for everyone, the role's password in md5, no password file
        for (String olderPassword : new String[] {"SET password_encryption = 'md5'; ALTER ROLE capconduit PASSWORD 's3cret''pw'",
                "ALTER ROLE capconduit PASSWORD NULL"}) {
            try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(properties(0));
                    Connection c = DriverManager.getConnection(server.jdbcUrl(), "postgres", superuserPassword());
                    Statement s = c.createStatement()) {
                s.execute(olderPassword);
                s.execute("ALTER ROLE postgres PASSWORD NULL");
            }
            Files.writeString(dataDir.resolve("pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\n"
                    + "host all all ::1/128 trust\n");
            Files.delete(dataDir.resolve("superuser-password"));

            try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(properties(0));
                    Connection c = connect(again);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThatThrownBy(() -> DriverManager.getConnection(again.jdbcUrl(), "postgres", "wrong"))
                        .isInstanceOfSatisfying(SQLException.class, ex -> assertThat(ex.getSQLState()).isEqualTo("28P01"));
                try (Connection superuser = DriverManager.getConnection(again.jdbcUrl(), "postgres", superuserPassword());
                        Statement q = superuser.createStatement();
                        ResultSet stored = q.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = 'capconduit'")) {
                    stored.next();
                    assertThat(stored.getString(1)).startsWith("SCRAM-SHA-256$");
                }
            }
        }
    }

    @Test
    void aPortInUseNamesThePortAndTheSettingToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(properties(port)))
                    .isInstanceOf(EmbeddedPostgresServer.EmbeddedDatabaseException.class)
                    .hasMessageContaining("Port " + port + " is already in use")
                    .hasMessageContaining("capconduit.embedded-db.port")
                    .hasMessageContaining("spring.datasource.url");
        }
    }

    @Test
    void aPostgresLeftRunningByAKilledJvmIsStoppedAndTheDataFolderReused() throws Exception {
        // Another JVM starts the server, writes a row, and is killed with SIGKILL: its postmaster lives on.
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AbandoningJvm.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("READY")) {
                // skip the other JVM's logging
            }
            assertThat(line).as("the other JVM started its database").isEqualTo("READY");
            other.destroyForcibly().waitFor();
        }
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isTrue();

        try (EmbeddedPostgresServer next = EmbeddedPostgresServer.start(properties(0));
                Connection c = connect(next);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT v FROM survived")) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    /**
     * A second CapConduit started on the data folder of one that still runs must not take the running one's
     * database for one a killed JVM left behind: stopping it would cut off the first instance and Asterisk's routing.
     */
    @Test
    void aPostgresWhoseJvmStillRunsIsLeftRunningAndTheStartFailsSayingWhy() throws Exception {
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AbandoningJvm.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        try {
            try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream()))) {
                String line;
                while ((line = out.readLine()) != null && !line.equals("READY")) {
                    // skip the other JVM's logging
                }
                assertThat(line).as("the other JVM started its database").isEqualTo("READY");
            }
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());

            Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
                    () -> EmbeddedPostgresServer.start(properties(0)));
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("the running instance's PostgreSQL").isTrue();
            assertThat(refused).isInstanceOf(EmbeddedPostgresServer.EmbeddedDatabaseException.class)
                    .hasMessageContaining("another CapConduit that is still running")
                    .hasMessageContaining("capconduit.embedded-db.data-dir");
        }
        finally {
            other.destroyForcibly().waitFor();
            // its postmaster is now one left behind: the next start stops it
            EmbeddedPostgresServer.start(properties(0)).close();
        }
    }

    /**
     * A SIGTERM (Ctrl-C, a deploy) runs every JVM shutdown hook at once. The database must serve the application's own
     * shutdown (running jobs marked STOPPED, requests finishing, Quartz checking out) until the application closes
     * it: zonky's own hook, a pg_ctl stop running beside Spring's, cut every connection at the first instant.
     */
    @Test
    void aSigtermLeavesTheDatabaseServingUntilTheApplicationClosesIt() throws Exception {
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ClosingJvm.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        java.util.List<String> said = new java.util.ArrayList<>();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("READY")) {
                // skip the other JVM's logging
            }
            assertThat(line).as("the other JVM started its database").isEqualTo("READY");
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            other.toHandle().destroy();   // SIGTERM (Process.destroy would close the output being read)
            while ((line = out.readLine()) != null) {
                said.add(line);
            }
            assertThat(other.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(said).as("what the closing application saw").contains("SERVED WHILE CLOSING", "CLOSED");
            // pg_ctl stop returns once the server removed its pid file, a moment before the process ends
            io.capconduit.support.Eventually.await("the postmaster ends once the application closed it",
                    java.time.Duration.ofSeconds(30),
                    () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }
        finally {
            other.destroyForcibly().waitFor();
        }
    }

    /**
     * After a crash or a reboot (a container's restart above all) the pid in postmaster.pid may belong to another
     * process by now. PostgreSQL then takes the file for a live server's and refuses to start, forever.
     */
    @Test
    void aPostmasterPidFileNamingAnotherProcessIsTakenForWhatItIsAndTheFolderStarts() throws Exception {
        EmbeddedDatabaseProperties properties = properties(0);
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(properties)) {
            execute(server, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
            Files.copy(dataDir.resolve("postmaster.pid"), dataDir.resolve("postmaster.pid.left"));
        }
        // the file as a killed server left it, its pid now another process's: alive, no postgres, and none of the
        // new server's parents (PostgreSQL passes over those)
        Process reusedPid = new ProcessBuilder("sleep", "600").start();
        try {
            java.util.List<String> left = new java.util.ArrayList<>(Files.readAllLines(dataDir.resolve("postmaster.pid.left")));
            left.set(0, Long.toString(reusedPid.pid()));
            Files.write(dataDir.resolve("postmaster.pid"), left);

            try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(properties);
                    Connection c = connect(again);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("still here");
            }
            assertThat(reusedPid.isAlive()).as("the process that has the pid now").isTrue();
        }
        finally {
            reusedPid.destroyForcibly().waitFor();
        }
    }

    /** A pid reused by another folder's PostgreSQL (the system's, another instance's) is no postmaster of ours to stop. */
    @Test
    void aPostmasterPidFileNamingAnotherFoldersPostgresLeavesThatOneRunning(@TempDir Path otherDir) throws Exception {
        assertThat(otherDir).isNotEqualTo(dataDir);
        EmbeddedDatabaseProperties properties = properties(0);
        EmbeddedPostgresServer.start(properties).close();
        try (EmbeddedPostgresServer other = EmbeddedPostgresServer.start(new EmbeddedDatabaseProperties(0, otherDir,
                "capconduit", "capconduit", "s3cret'pw", false, "128MB", "1GB"))) {
            long otherPid = Long.parseLong(Files.readAllLines(otherDir.resolve("postmaster.pid")).get(0).trim());
            Files.copy(otherDir.resolve("postmaster.pid"), dataDir.resolve("postmaster.pid"));

            try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(properties);
                    Connection c = connect(again)) {
                assertThat(c.isValid(1)).isTrue();
            }
            assertThat(ProcessHandle.of(otherPid).map(ProcessHandle::isAlive).orElse(false))
                    .as("the other folder's postmaster").isTrue();
        }
    }

    /** Run in a separate JVM by the SIGTERM test: its shutdown hook stands in for Spring's closing the context. */
    static class ClosingJvm {
        public static void main(String[] args) throws Exception {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(
                    new EmbeddedDatabaseProperties(0, Path.of(args[0]), "capconduit", "capconduit", "s3cret'pw", false, "128MB", "1GB"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // every other hook started with this one; let any that stops PostgreSQL (zonky's closer) finish first
                Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t != Thread.currentThread() && t.getName().endsWith("-closer"))
                        .forEach(t -> {
                            try {
                                t.join(30_000);
                            }
                            catch (InterruptedException ex) {
                                Thread.currentThread().interrupt();
                            }
                        });
                try {
                    execute(server, "SELECT 1");
                    System.out.println("SERVED WHILE CLOSING");
                }
                catch (Exception ex) {
                    System.out.println("GONE BEFORE THE APPLICATION CLOSED IT: " + ex.getMessage());
                }
                server.close();
                System.out.println("CLOSED");
                System.out.flush();
            }));
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }

    /** Run in a separate JVM by the test above. */
    static class AbandoningJvm {
        public static void main(String[] args) throws Exception {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(
                    new EmbeddedDatabaseProperties(0, Path.of(args[0]), "capconduit", "capconduit", "s3cret'pw", false, "128MB", "1GB"));
            execute(server, "CREATE TABLE survived (v int); INSERT INTO survived VALUES (42)");
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }

    private EmbeddedDatabaseProperties properties(int port) {
        return new EmbeddedDatabaseProperties(port, dataDir, "capconduit", "capconduit", "s3cret'pw", false, "128MB", "1GB");
    }

    private String superuserPassword() throws Exception {
        return Files.readString(dataDir.resolve("superuser-password")).strip();
    }

    private static Connection connect(EmbeddedPostgresServer server) throws Exception {
        return DriverManager.getConnection(server.jdbcUrl(), "capconduit", "s3cret'pw");
    }

    private static void execute(EmbeddedPostgresServer server, String sql) throws Exception {
        try (Connection c = connect(server); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
