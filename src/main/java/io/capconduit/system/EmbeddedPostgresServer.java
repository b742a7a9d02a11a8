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
 * role of CapConduit's own. Stops on {@link #close()}.
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
        try {
            Files.createDirectories(properties.dataDir());
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
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
                    .start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, properties);
            server.createDatabaseAndRole();
            return server;
        }
        catch (IOException | SQLException ex) {
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

    private void createDatabaseAndRole() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", properties.username())) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE ROLE " + identifier(properties.username()) + " LOGIN PASSWORD "
                            + literal(properties.password()));
                }
            }
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

    // DDL takes no bind parameters; names are checked, literals quoted the PostgreSQL way.
    private static String identifier(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new EmbeddedDatabaseException("Invalid embedded database name or user '" + name
                    + "': use lower-case letters, digits and underscores", null);
        }
        return name;
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
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
