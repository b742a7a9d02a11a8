package io.capconduit.telephony;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

import io.capconduit.support.Eventually;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A {@link TestAmiServer} registered as an active Asterisk server (generous rate limits) and connected through the
 * application's {@link AmiConnections}; closing it disconnects, deactivates the row and stops the server.
 */
public record ConnectedAsterisk(TestAmiServer asterisk, long serverId, JdbcTemplate jdbc, AmiConnections ami)
        implements AutoCloseable {

    private static final String SECRET = "test-ami-secret";

    /** {@code systemName}: the prefix of its unique ids, or null for none. */
    public static ConnectedAsterisk start(JdbcTemplate jdbc, AmiConnections ami, String systemName) throws IOException {
        TestAmiServer asterisk = new TestAmiServer("capconduit", SECRET);
        long serverId = jdbc.queryForObject("INSERT INTO asterisk_servers (name, host, ami_port, ami_username, "
                + "ami_secret, system_name, max_calls_per_second, max_originates_in_flight) VALUES (?, '127.0.0.1', ?, "
                + "'capconduit', ?, ?, 1000, 1000) RETURNING id", Long.class, "ami-" + UUID.randomUUID(),
                asterisk.port(), SECRET, systemName);
        ami.connect(serverId);
        Eventually.await("test Asterisk server " + serverId + " connected", Duration.ofSeconds(10),
                () -> ami.isConnected(serverId));
        return new ConnectedAsterisk(asterisk, serverId, jdbc, ami);
    }

    @Override
    public void close() throws IOException {
        ami.disconnect(serverId);
        jdbc.update("UPDATE asterisk_servers SET active = false WHERE id = ?", serverId);
        asterisk.close();
    }
}
