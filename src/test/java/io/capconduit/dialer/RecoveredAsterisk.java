package io.capconduit.dialer;

import java.io.IOException;
import java.time.Duration;

import io.capconduit.support.Eventually;
import io.capconduit.telephony.AmiConnections;
import io.capconduit.telephony.ConnectedAsterisk;
import org.springframework.jdbc.core.JdbcTemplate;

/** A test Asterisk server for the dialer's tests, connected. */
final class RecoveredAsterisk {

    private RecoveredAsterisk() {
    }

    /**
     * Connects a new test server and waits for the connect's own recovery, which runs in the background: once it is
     * over, a test's DIALING rows (handed out "a minute ago", before the connect) are the test's recovery's alone,
     * and its channel-list count exact.
     */
    static ConnectedAsterisk connect(JdbcTemplate jdbc, AmiConnections ami, DialerRecovery recovery)
            throws IOException {
        ConnectedAsterisk connected = ConnectedAsterisk.start(jdbc, ami, null);
        long serverId = connected.serverId();
        Eventually.await("the connect's recovery of server " + serverId, Duration.ofSeconds(10),
                () -> recovery.recoveryEnded(serverId) != null);
        return connected;
    }
}
