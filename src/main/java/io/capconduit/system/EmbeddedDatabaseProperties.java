package io.capconduit.system;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL started when no {@code spring.datasource.url} is set.
 *
 * @param port        fixed local port, so Asterisk can reach the database over ODBC; 0 picks a free one
 * @param dataDir     persistent data folder; survives restarts unless {@code cleanOnStart}
 * @param database    database created for CapConduit
 * @param username    role created for CapConduit (and for Asterisk's ODBC connection)
 * @param password    that role's password, stored (as SCRAM-SHA-256) at every start
 * @param cleanOnStart wipe the data folder before starting (tests only)
 * @param sharedBuffers PostgreSQL's {@code shared_buffers}: its own page cache. The stock 128MB is smaller than one
 *                      million leads with their indexes, so a bulk import would write pages out and read them back
 * @param maxWalSize    PostgreSQL's {@code max_wal_size}: the WAL written between checkpoints. The stock 1GB makes
 *                      a million-row import checkpoint several times, each followed by full-page images
 */
@ConfigurationProperties("capconduit.embedded-db")
public record EmbeddedDatabaseProperties(
        @DefaultValue("5433") int port,
        @DefaultValue("./data/postgres") Path dataDir,
        @DefaultValue("capconduit") String database,
        @DefaultValue("capconduit") String username,
        @DefaultValue("capconduit") String password,
        @DefaultValue("false") boolean cleanOnStart,
        @DefaultValue("512MB") String sharedBuffers,
        @DefaultValue("4GB") String maxWalSize) {

    /** Every component but the password (Asterisk's ODBC connection uses it too). */
    @Override
    public String toString() {
        return "EmbeddedDatabaseProperties[port=" + port + ", dataDir=" + dataDir + ", database=" + database
                + ", username=" + username + ", password=[hidden], cleanOnStart=" + cleanOnStart + ", sharedBuffers="
                + sharedBuffers + ", maxWalSize=" + maxWalSize + "]";
    }
}
