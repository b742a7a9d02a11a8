package io.capconduit.telephony;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import io.capconduit.support.Eventually;
import org.asteriskjava.manager.event.DeviceStateChangeEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.VarSetEvent;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A {@link TestAmiServer} registered as an active Asterisk server and connected through an {@link AmiConnections}
 * of its own whose events reach only the given listeners (the application's connections never see them), so a test
 * can put a listener of its own beside the application's. Closing it stops both and deactivates the row.
 */
public record SeparateAmiConnection(TestAmiServer asterisk, long serverId, AmiConnections ami, JdbcTemplate jdbc)
        implements AutoCloseable {

    private static final String SECRET = "separate-ami-secret";

    public static SeparateAmiConnection start(JdbcTemplate jdbc, AsteriskServerMapper servers,
            AmiListener... listeners) throws IOException {
        TestAmiServer asterisk = new TestAmiServer("capconduit", SECRET);
        long serverId = jdbc.queryForObject("INSERT INTO asterisk_servers (name, host, ami_port, ami_username, "
                + "ami_secret, max_calls_per_second, max_originates_in_flight) VALUES (?, '127.0.0.1', ?, "
                + "'capconduit', ?, 1000, 1000) RETURNING id", Long.class, "ami-separate-" + java.util.UUID.randomUUID(),
                asterisk.port(), SECRET);
        AmiConnections ami = new AmiConnections(servers,
                new AmiProperties(false, Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5),
                    Duration.ofSeconds(5), Duration.ofSeconds(20)),
                List.of(listeners), Duration.ofHours(1));
        ami.connect(serverId);
        Eventually.await("separate AMI connection to server " + serverId, Duration.ofSeconds(10),
                () -> ami.isConnected(serverId));
        return new SeparateAmiConnection(asterisk, serverId, ami, jdbc);
    }

    /** Whether the events of this channel run on the same executor as events that name no channel. */
    public static boolean ordersWithEventsOfNoChannel(String uniqueId) {
        HangupEvent ofTheChannel = new HangupEvent(SeparateAmiConnection.class);
        ofTheChannel.setUniqueId(uniqueId);
        return ordersWithEventsOfNoChannel(ofTheChannel);
    }

    /** Whether the device's state changes run on the same executor as events that name no channel. */
    public static boolean deviceOrdersWithEventsOfNoChannel(String device) {
        DeviceStateChangeEvent ofTheDevice = new DeviceStateChangeEvent(SeparateAmiConnection.class);
        ofTheDevice.setDevice(device);
        return ordersWithEventsOfNoChannel(ofTheDevice);
    }

    private static boolean ordersWithEventsOfNoChannel(ManagerEvent event) {
        return AmiConnections.stripe(event) == AmiConnections.stripe(new VarSetEvent(SeparateAmiConnection.class));
    }

    @Override
    public void close() throws IOException {
        ami.stop();
        jdbc.update("UPDATE asterisk_servers SET active = false WHERE id = ?", serverId);
        asterisk.close();
    }
}
