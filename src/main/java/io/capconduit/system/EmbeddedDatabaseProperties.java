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
 * @param password    that role's password
 * @param cleanOnStart wipe the data folder before starting (tests only)
 */
@ConfigurationProperties("capconduit.embedded-db")
public record EmbeddedDatabaseProperties(
        @DefaultValue("5433") int port,
        @DefaultValue("./data/postgres") Path dataDir,
        @DefaultValue("capconduit") String database,
        @DefaultValue("capconduit") String username,
        @DefaultValue("capconduit") String password,
        @DefaultValue("false") boolean cleanOnStart) {
}
