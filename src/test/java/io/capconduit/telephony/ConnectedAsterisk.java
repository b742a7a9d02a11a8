package io.capconduit.telephony;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

import io.capconduit.support.Eventually;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A {@link TestAmiServer} registered as an active Asterisk server (generous rate limits) and connected through the
 * application's {@link AmiConnections}; closing it disconnects, deactivates the row and stops the server. A start
 * that fails does the same before it throws.
 */
public record ConnectedAsterisk(TestAmiServer asterisk, long serverId, JdbcTemplate jdbc, AmiConnections ami)
        implements AutoCloseable {

    private static final String USERNAME = "capconduit";
    private static final String SECRET = "test-ami-secret";

    /** {@code systemName}: the prefix of its unique ids, or null for none. */
    public static ConnectedAsterisk start(JdbcTemplate jdbc, AmiConnections ami, String systemName) throws IOException {
        return start(jdbc, ami, systemName, new TestAmiServer(USERNAME, SECRET), Duration.ofSeconds(10));
    }

    /** Registers and connects the given server, waiting at most {@code connectWait}. */
    static ConnectedAsterisk start(JdbcTemplate jdbc, AmiConnections ami, String systemName, TestAmiServer asterisk,
            Duration connectWait) throws IOException {
        long serverId;
        try {
            serverId = jdbc.queryForObject("INSERT INTO asterisk_servers (name, host, ami_port, ami_username, "
                    + "ami_secret, system_name, max_calls_per_second, max_originates_in_flight) VALUES (?, '127.0.0.1', "
                    + "?, ?, ?, ?, 1000, 1000) RETURNING id", Long.class, "ami-" + UUID.randomUUID(), asterisk.port(),
                    USERNAME, SECRET, systemName);
        }
        catch (RuntimeException ex) {
            asterisk.close();
            throw ex;
        }
        ConnectedAsterisk connected = new ConnectedAsterisk(asterisk, serverId, jdbc, ami);
        try {
            ami.connect(serverId);
            Eventually.await("test Asterisk server " + serverId + " connected", connectWait,
                    () -> ami.isConnected(serverId));
        }
        catch (RuntimeException | Error ex) {
            // a failed start leaves no active server and no reconnecting session behind: the dialer breaks ties
            // toward the lower server id, so later tests' Originates would go to this leftover
            try {
                connected.close();
            }
            catch (IOException | RuntimeException cleanup) {
                ex.addSuppressed(cleanup);
            }
            throw ex;
        }
        return connected;
    }

    @Override
    public void close() throws IOException {
        ami.disconnect(serverId);
        jdbc.update("UPDATE asterisk_servers SET active = false WHERE id = ?", serverId);
        asterisk.close();
    }
}
