package io.capconduit.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 17 (zonky's binaries) on 127.0.0.1, with a persistent data folder and a database and
 * role of CapConduit's own; every connection must give its role's password ({@link EmbeddedPostgresPasswords}).
 * Stops on {@link #close()} only (the application context closes it after every bean that uses it), not at the
 * first moment of a JVM shutdown.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final EmbeddedDatabaseProperties properties;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, EmbeddedDatabaseProperties properties) {
        this.postgres = postgres;
        this.properties = properties;
    }

    public static EmbeddedPostgresServer start(EmbeddedDatabaseProperties properties) {
        StalePostmaster.stopIfLeftBehind(properties.dataDir());
        if (properties.port() != 0) {
            requireFreePort(properties.port());
        }
        EmbeddedPostgres postgres = null;
        try {
            Files.createDirectories(properties.dataDir());
            EmbeddedPostgresPasswords passwords = EmbeddedPostgresPasswords.of(properties.dataDir());
            postgres = EmbeddedPostgres.builder()
                    .setPort(properties.port())
                    .setDataDirectory(properties.dataDir())
                    .setCleanDataDirectory(properties.cleanOnStart())
                    .setServerConfig("timezone", "UTC")
                    .setServerConfig("max_connections", "200")
                    // a large lead import inserts in parts, each a prepared transaction (LeadMergeParts)
                    .setServerConfig("max_prepared_transactions", "16")
                    .setServerConfig("shared_buffers", properties.sharedBuffers())
                    .setServerConfig("max_wal_size", properties.maxWalSize())
                    // zonky trades durability for speed (fsync off); a data folder that persists needs it back.
                    .setServerConfig("fsync", properties.cleanOnStart() ? "off" : "on")
                    .setServerConfig("synchronous_commit", properties.cleanOnStart() ? "off" : "on")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    // zonky's own connections (its start-up check, getPostgresDatabase) are the superuser's
                    .setConnectConfig("password", passwords.superuserPassword())
                    // zonky's JVM shutdown hook would stop the server beside Spring's, cutting off the application's
                    // own shutdown (running jobs marked STOPPED, requests finishing); close() stops it after those
                    .setRegisterShutdownHook(false)
                    .start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, properties);
            server.createDatabaseAndRole(passwords);
            EmbeddedPostgresPasswords.awaitPasswordsRequired(server.port());
            return server;
        }
        catch (IOException | SQLException | RuntimeException ex) {
            closeQuietly(postgres, ex);
            if (ex instanceof EmbeddedDatabaseException known) {
                throw known;
            }
            throw new EmbeddedDatabaseException("Could not start the embedded PostgreSQL in " + properties.dataDir()
                    + ": " + ex.getMessage() + ". If another CapConduit is running on this data folder, stop it or set "
                    + "capconduit.embedded-db.data-dir to another folder.", ex);
        }
    }

    private static void requireFreePort(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        }
        catch (IOException ex) {
            throw new EmbeddedDatabaseException("Port " + port + " is already in use, so the embedded PostgreSQL cannot "
                    + "start. Set capconduit.embedded-db.port (environment variable CAPCONDUIT_EMBEDDED_DB_PORT) to a "
                    + "free port, or set spring.datasource.url to use an external PostgreSQL.", ex);
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres, Exception failure) {
        if (postgres != null) {
            try {
                postgres.close();
            }
            catch (IOException | RuntimeException ex) {
                failure.addSuppressed(ex);
            }
        }
    }

    private void createDatabaseAndRole(EmbeddedPostgresPasswords passwords) throws IOException, SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", properties.username())) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE ROLE " + identifier(properties.username()) + " LOGIN");
                }
            }
            // at every start: an older data folder's role may have an md5 password, or none (all was trusted)
            passwords.apply(c, properties.username(), properties.password());
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", properties.database())) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + identifier(properties.database()) + " OWNER "
                            + identifier(properties.username()) + " ENCODING 'UTF8'");
                }
            }
        }
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    // DDL takes no bind parameters; names are checked.
    private static String identifier(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new EmbeddedDatabaseException("Invalid embedded database name or user '" + name
                    + "': use lower-case letters, digits and underscores", null);
        }
        return name;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + properties.database();
    }

    public int port() {
        return postgres.getPort();
    }

    public EmbeddedDatabaseProperties properties() {
        return properties;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        }
        catch (IOException ex) {
            throw new EmbeddedDatabaseException("Could not stop the embedded PostgreSQL cleanly", ex);
        }
    }

    /** Start-up of the embedded database failed; the message says what to change. */
    public static class EmbeddedDatabaseException extends RuntimeException {
        EmbeddedDatabaseException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
