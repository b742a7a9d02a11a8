package io.capconduit.telephony;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test support itself: a {@link ConnectedAsterisk} whose start fails leaves nothing for later tests to dial. */
@IntegrationTest
class ConnectedAsteriskIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AmiConnections ami;

    @Test
    void aStartThatFailsToConnectLeavesNoActiveServerAndNoReconnectingSession() throws Exception {
        TestAmiServer down = new TestAmiServer("capconduit", "test-ami-secret");
        down.goDown();
        int port = down.port();

        assertThatThrownBy(() -> ConnectedAsterisk.start(jdbc, ami, null, down, Duration.ofMillis(500)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("connected");
        down.comeBack();   // were its session still reconnecting, it would get through now
        Thread.sleep(3_000);   // past the reconnect back-off of the few attempts made

        assertThat(jdbc.queryForObject("SELECT count(*) FROM asterisk_servers WHERE ami_port = ? AND active", Integer.class,
                port)).isZero();
        Long serverId = jdbc.queryForObject("SELECT max(id) FROM asterisk_servers WHERE ami_port = ?", Long.class, port);
        assertThat(serverId).isNotNull();
        assertThat(ami.isConnected(serverId)).isFalse();
        assertThat(down.loggedInSessions()).isZero();
        down.close();
    }
}
