package io.capconduit.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.capconduit.jobs.BatchJobLauncher;
import io.capconduit.support.GraphQlErrors;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import io.capconduit.telephony.AmiConnections;
import io.capconduit.telephony.AsteriskServerMapper;
import io.capconduit.telephony.ConnectedAsterisk;
import io.capconduit.telephony.OtherInstanceAmi;
import io.capconduit.telephony.TestAmiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claims of calls that ended without releasing them (a database outage ate both the hangup handler's release and
 * the CDR; an Asterisk crash ran neither) are released once their channel is gone from their server, or once they
 * are older than any call; never while the call may be up.
 */
@IntegrationTest
class RouteClaimSweepIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AmiConnections ami;

    @Autowired
    RouteClaimSweep sweep;

    @Autowired
    BatchJobLauncher launcher;

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    AsteriskServerMapper servers;

    RoutingFixtures fixtures;
    ConnectedAsterisk connected;
    TestAmiServer asterisk;
    String systemName;
    long setting;

    @BeforeEach
    void serverAndBuyer() throws Exception {
        fixtures = new RoutingFixtures(jdbc);
        systemName = "pbx" + UUID.randomUUID().toString().substring(0, 8);
        connected = ConnectedAsterisk.start(jdbc, ami, systemName);
        asterisk = connected.asterisk();
        RoutingFixtures.InboundCampaign campaign = fixtures.campaign("PRIORITY");
        setting = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
    }

    @AfterEach
    void disconnect() throws Exception {
        connected.close();
    }

    @Test
    void aClaimWhoseChannelIsGoneIsReleasedOneStillUpOrTooYoungIsKept() {
        String up = claim(systemName + "-1700000000.1", "2 minutes");
        asterisk.channelUp(up, "PJSIP/carrier-00000001");
        String gone = claim(systemName + "-1700000000.2", "2 minutes");
        String young = claim(systemName + "-1700000000.3", "5 seconds");
        String otherServer = claim("elsewhere" + UUID.randomUUID() + "-1700000000.4", "2 minutes");
        assertThat(fixtures.inFlight(setting)).isEqualTo(4);

        assertThat(sweep.sweep(Duration.ofSeconds(60), Duration.ofDays(3650))).isEqualTo(1);

        assertThat(releaseReason(gone)).isEqualTo("CHANNEL_GONE");
        assertThat(releaseReason(up)).isNull();
        assertThat(releaseReason(young)).isNull();       // may not be on the channel list yet
        assertThat(releaseReason(otherServer)).isNull(); // its server was not asked
        assertThat(fixtures.inFlight(setting)).isEqualTo(3);
    }

    /** pbx-2's calls are not pbx's: a uid is this server's only if the prefix is followed by a plain unique id. */
    @Test
    void aServerWhoseNameBeginsThisOnesIsNotMistakenForIt() {
        String otherServersCall = claim(systemName + "-2-1700000000.5", "2 minutes");

        sweep.sweep(Duration.ofSeconds(60), Duration.ofDays(3650));

        assertThat(releaseReason(otherServersCall)).isNull();
    }

    /** A replacement beside the box it replaces, both "pbx": neither's channel list speaks for the other's calls. */
    @Test
    void aSystemnameTwoServersShareIsLeftToTheAgeLimit() {
        String drainedBoxCall = claim(systemName + "-1700000000.6", "2 minutes");
        jdbc.update("INSERT INTO asterisk_servers (name, host, ami_port, ami_username, ami_secret, system_name, active) "
                + "VALUES (?, '127.0.0.1', 1, 'capconduit', 'x', ?, false)", "drained-" + systemName, systemName);

        sweep.sweep(Duration.ofSeconds(60), Duration.ofDays(3650));

        assertThat(releaseReason(drainedBoxCall)).isNull();
    }

    @Test
    void aClaimOlderThanAnyCallIsReleasedWhateverItsServer() {
        String ancient = claim("elsewhere" + UUID.randomUUID() + "-1600000000.1", "100 days");

        assertThat(sweep.sweep(Duration.ofSeconds(60), Duration.ofDays(90))).isEqualTo(1);

        assertThat(releaseReason(ancient)).isEqualTo("EXPIRED");
        assertThat(fixtures.inFlight(setting)).isZero();
    }

    @Test
    void theScheduledJobRunsTheSweep() throws Exception {
        String gone = claim(systemName + "-1700000001.1", "10 minutes");   // past the job's default minimum age

        assertThat(launcher.run("routeClaimSweepJob", Map.of("maxAgeHours", "720"), Instant.now()).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);

        assertThat(releaseReason(gone)).isEqualTo("CHANNEL_GONE");
    }

    /**
     * A server gone for good (crashed and not coming back, replaced) is never asked for its channels again: an admin
     * who deactivated it releases its calls' claims at once instead of waiting for the age limit (12 hours), during
     * which they held its buyers' concurrency slots.
     */
    @Test
    void anAdminReleasesTheClaimsOfADeactivatedServerThatIsGone() {
        String goneName = "gone" + UUID.randomUUID().toString().substring(0, 8);
        long gone = jdbc.queryForObject("INSERT INTO asterisk_servers (name, host, ami_port, ami_username, ami_secret, "
                + "system_name, active) VALUES (?, '127.0.0.1', 1, 'capconduit', 'x', ?, true) RETURNING id",
                Long.class, goneName, goneName);
        String first = claim(goneName + "-1700000002.1", "5 seconds");
        String second = claim(goneName + "-1700000002.2", "30 minutes");
        String connectedServersCall = claim(systemName + "-1700000002.3", "30 minutes");
        asterisk.channelUp(connectedServersCall, "PJSIP/carrier-00000003");

        graphQl.as("admin").document(RELEASE).variable("id", String.valueOf(gone)).execute().errors()
                .expect(GraphQlErrors.badInput("serverId")).verify();
        graphQl.as("staff").document(RELEASE).variable("id", String.valueOf(gone)).execute().errors()
                .expect(GraphQlErrors.classified("FORBIDDEN")).verify();
        assertThat(releaseReason(first)).isNull();

        jdbc.update("UPDATE asterisk_servers SET active = false WHERE id = ?", gone);
        graphQl.as("admin").document(RELEASE).variable("id", String.valueOf(gone)).execute()
                .path("releaseAsteriskServerClaims.released").entity(Integer.class).isEqualTo(2);

        assertThat(releaseReason(first)).isEqualTo("SERVER_GONE");
        assertThat(releaseReason(second)).isEqualTo("SERVER_GONE");
        assertThat(releaseReason(connectedServersCall)).isNull();
        assertThat(fixtures.inFlight(setting)).isEqualTo(1);
        graphQl.as("admin").document(RELEASE).variable("id", String.valueOf(gone)).execute()
                .path("releaseAsteriskServerClaims.released").entity(Integer.class).isEqualTo(0);
    }

    /** A server still connected is swept every minute, and one whose calls cannot be told apart is refused. */
    @Test
    void theClaimsOfAConnectedServerOrOfASharedSystemnameAreNotReleasedWholesale() {
        String up = claim(systemName + "-1700000003.1", "30 minutes");
        asterisk.channelUp(up, "PJSIP/carrier-00000004");
        jdbc.update("UPDATE asterisk_servers SET active = false WHERE id = ?", connected.serverId());

        graphQl.as("admin").document(RELEASE).variable("id", String.valueOf(connected.serverId())).execute().errors()
                .expect(GraphQlErrors.badInput("serverId")).verify();
        assertThat(releaseReason(up)).isNull();

        long twin = jdbc.queryForObject("INSERT INTO asterisk_servers (name, host, ami_port, ami_username, ami_secret, "
                + "system_name, active) VALUES (?, '127.0.0.1', 1, 'capconduit', 'x', ?, false) RETURNING id",
                Long.class, "twin-" + systemName, systemName);
        graphQl.as("admin").document(RELEASE).variable("id", String.valueOf(twin)).execute().errors()
                .expect(GraphQlErrors.badInput("serverId")).verify();
        assertThat(releaseReason(up)).isNull();
        graphQl.as("admin").document(RELEASE).variable("id", "999999999").execute().errors()
                .expect(GraphQlErrors.classified("NOT_FOUND")).verify();
    }

    /**
     * Connected over AMI on any app instance counts, not only on the one the request reached: an instance that has
     * not yet dropped a server just deactivated is talking to a server that is up. Once no instance holds a
     * connection, the server is taken for gone.
     */
    @Test
    void aServerConnectedOnlyOnAnotherInstanceIsNotReleasedWholesale() throws Exception {
        String up = claim(systemName + "-1700000004.1", "30 minutes");
        asterisk.channelUp(up, "PJSIP/carrier-00000005");
        ami.disconnect(connected.serverId());
        AmiConnections otherInstance = OtherInstanceAmi.connect(servers, connected.serverId());
        try {
            jdbc.update("UPDATE asterisk_servers SET active = false WHERE id = ?", connected.serverId());

            graphQl.as("admin").document(RELEASE).variable("id", String.valueOf(connected.serverId())).execute()
                    .errors().expect(GraphQlErrors.badInput("serverId")).verify();
            assertThat(releaseReason(up)).isNull();
        }
        finally {
            otherInstance.stop();
        }
        graphQl.as("admin").document(RELEASE).variable("id", String.valueOf(connected.serverId())).execute()
                .path("releaseAsteriskServerClaims.released").entity(Integer.class).isEqualTo(1);
        assertThat(releaseReason(up)).isEqualTo("SERVER_GONE");
    }

    private static final String RELEASE = "mutation ($id: ID!) { releaseAsteriskServerClaims(serverId: $id) "
            + "{ released } }";

    /** A claim taken through route_claim, as the dialplan takes it, then aged. */
    private String claim(String callUid, String age) {
        assertThat(jdbc.queryForObject("SELECT route_claim(?, ?)", String.class, callUid, setting)).isEqualTo("CLAIMED");
        jdbc.update("UPDATE route_claims SET claimed_at = now() - ?::interval WHERE call_uid = ?", age, callUid);
        return callUid;
    }

    private String releaseReason(String callUid) {
        return jdbc.queryForObject("SELECT release_reason FROM route_claims WHERE call_uid = ?", String.class, callUid);
    }
}
