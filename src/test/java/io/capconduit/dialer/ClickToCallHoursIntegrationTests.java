package io.capconduit.dialer;

import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlErrors;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import io.capconduit.telephony.AmiConnections;
import io.capconduit.telephony.ConnectedAsterisk;
import io.capconduit.telephony.TestAmiServer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Click-to-call keeps the campaign's calling hours as the dialer does: read in the lead's own zone, or every zone
 * its number may be in, or the seller's when the lead has none; a number no list of the campaign holds is read in
 * the zones libphonenumber gives it. Outside them a call is placed only when the caller says the person agreed.
 */
@IntegrationTest
class ClickToCallHoursIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AmiConnections ami;

    @Autowired
    DialerRecovery recovery;

    @Autowired
    GraphQlTesters graphQl;

    ConnectedAsterisk connected;

    TestAmiServer asterisk;

    long serverId;

    OutboundFixture campaign;

    long agent;

    @BeforeEach
    void connect() throws Exception {
        connected = RecoveredAsterisk.connect(jdbc, ami, recovery);
        asterisk = connected.asterisk();
        serverId = connected.serverId();
        // open from one to three hours ahead of UTC: open at UTC+2 now, closed at UTC and at UTC-5
        LocalTime utc = LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
        campaign = OutboundFixture.create(jdbc, "UTC", "call_window_start = '" + utc.plusHours(1)
                + "', call_window_end = '" + utc.plusHours(3) + "'");
        agent = campaign.agent("AVAILABLE");
    }

    @AfterEach
    void disconnect() throws Exception {
        connected.close();
    }

    @Test
    void aLeadIsCalledByHandOnlyWhileTheCampaignsHoursAreOpenInEveryZoneItMayBeIn() {
        String open = OutboundFixture.phone();
        campaign.lead(open, "Etc/GMT-2");
        String closed = OutboundFixture.phone();
        campaign.lead(closed, "UTC");
        String straddling = OutboundFixture.phone();
        campaign.leadInZones(straddling, "Etc/GMT-2", "UTC");

        refused(closed, "UTC");
        refused(straddling, "UTC");
        assertThat(asterisk.originates()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM click_to_calls WHERE agent_id = ?", Integer.class, agent))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT state FROM agents WHERE id = ?", String.class, agent))
                .isEqualTo("AVAILABLE");

        clickToCall(open, null).path("clickToCall.ok").entity(Boolean.class).isEqualTo(true);
        assertThat(asterisk.originates()).hasSize(1);
    }

    @Test
    void aNumberOfNoListIsReadInItsOwnZonesOrElseTheSellers() {
        // New York: UTC-5 or UTC-4, outside hours one to three ahead of UTC
        refused("+12125550142", "America/New_York");
        // a 555 number is in no zone libphonenumber knows: the seller's (UTC) is read
        refused(OutboundFixture.phone(), "UTC");
        jdbc.update("UPDATE sellers SET time_zone = 'Etc/GMT-2' WHERE id = ?", campaign.sellerId());
        clickToCall(OutboundFixture.phone(), null).path("clickToCall.ok").entity(Boolean.class).isEqualTo(true);
    }

    @Test
    void aCallerWhoSaysThePersonAgreedCallsOutsideTheHours() {
        String closed = OutboundFixture.phone();
        campaign.lead(closed, "UTC");

        clickToCall(closed, false).errors().expect(GraphQlErrors.badInput("input.number")).verify();
        clickToCall(closed, true).path("clickToCall.ok").entity(Boolean.class).isEqualTo(true);
        assertThat(asterisk.originates()).hasSize(1);
    }

    private void refused(String number, String zone) {
        clickToCall(number, null).errors().expect(GraphQlErrors.badInput("input.number")
                .and(error -> error.getMessage().contains(zone) && error.getMessage().contains("outsideCallWindow")))
                .verify();
    }

    private GraphQlTester.Response clickToCall(String number, Boolean outsideCallWindow) {
        return graphQl.as("staff").document("mutation ($agent: ID!, $number: String!, $campaign: ID!, $server: ID!, "
                        + "$outside: Boolean) { clickToCall(input: {agentId: $agent, number: $number, campaignId: "
                        + "$campaign, serverId: $server, outsideCallWindow: $outside}) { ok channelId } }")
                .variable("agent", agent).variable("number", number).variable("campaign", campaign.campaignId())
                .variable("server", serverId).variable("outside", outsideCallWindow).execute();
    }
}
