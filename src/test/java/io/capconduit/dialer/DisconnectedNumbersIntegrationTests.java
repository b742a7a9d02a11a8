package io.capconduit.dialer;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.asteriskjava.manager.event.HangupEvent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.capconduit.support.GraphQlErrors.classified;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dialer call the carrier ends as a number that does not exist (Q.850 cause 1 UNALLOCATED: SIP 404; 22
 * NUMBER_CHANGED: SIP 410; 28 INVALID_NUMBER_FORMAT: SIP 484) is DISCONNECTED, not FAILED. With the campaign's
 * closeDisconnectedNumbers on, its lead is closed at once rather than dialed again up to its attempt limit.
 */
@IntegrationTest
class DisconnectedNumbersIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DialerEvents events;

    @Autowired
    GraphQlTesters graphQl;

    private static final String REOPEN = """
            mutation ($campaign: ID!, $since: DateTime!) {
              reopenDisconnectedLeads(campaignId: $campaign, since: $since) { reopened } }""";

    @Test
    void aCampaignThatClosesDisconnectedNumbersClosesTheLeadAtOnce() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC",
                "max_attempts = 3, retry_failed_seconds = 300, close_disconnected_numbers = true");
        for (int cause : new int[] {1, 22, 28}) {
            long lead = campaign.queued(OutboundFixture.phone());
            String channel = dialing(lead);

            hangup(channel, cause);

            assertThat(entryAndLead(lead)).as("cause %d", cause).containsEntry("status", "DONE")
                    .containsEntry("outcome", "DISCONNECTED").containsEntry("hangup_cause", cause)
                    .containsEntry("lead_status", "DONE").containsEntry("last_outcome", "DISCONNECTED")
                    .containsEntry("attempts", 1);
        }
    }

    /** Off (the default): the call is told apart, yet its lead is retried as a failed call was. */
    @Test
    void byDefaultADisconnectedNumberIsToldApartAndRetriedAfterTheFailedDelay() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "max_attempts = 3, retry_failed_seconds = 300");
        assertThat(jdbc.queryForObject("SELECT close_disconnected_numbers FROM campaigns WHERE id = ?", Boolean.class,
                campaign.campaignId())).isFalse();
        long lead = campaign.queued(OutboundFixture.phone());

        hangup(dialing(lead), 1);

        assertThat(entryAndLead(lead)).containsEntry("status", "DONE").containsEntry("outcome", "DISCONNECTED")
                .containsEntry("lead_status", "RETRY").containsEntry("last_outcome", "DISCONNECTED")
                .hasEntrySatisfying("delay", delay -> assertThat((Integer) delay).isBetween(299, 301));
    }

    /** Only a number that does not exist closes a lead: a rejected, congested or failed call is retried as before. */
    @Test
    void otherFailuresAreRetriedWhateverTheSwitch() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC",
                "max_attempts = 3, retry_failed_seconds = 300, close_disconnected_numbers = true");
        for (int cause : new int[] {3, 21, 27, 34, 38, 41}) {
            long lead = campaign.queued(OutboundFixture.phone());

            hangup(dialing(lead), cause);

            assertThat(entryAndLead(lead)).as("cause %d", cause).containsEntry("outcome", "FAILED")
                    .containsEntry("lead_status", "RETRY").containsEntry("last_outcome", "FAILED");
        }
    }

    /** The last attempt closes the lead anyway; a lead on the DNC list stays DNC. */
    @Test
    void aLeadOutOfAttemptsOrOnDncIsClosedAsBefore() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "max_attempts = 1");
        long lastAttempt = campaign.queued(OutboundFixture.phone());
        hangup(dialing(lastAttempt), 28);
        long dnc = campaign.queued(OutboundFixture.phone());
        String channel = dialing(dnc);
        jdbc.update("UPDATE leads SET status = 'DNC', last_outcome = 'DNC' WHERE id = ?", dnc);

        hangup(channel, 1);

        assertThat(entryAndLead(lastAttempt)).containsEntry("outcome", "DISCONNECTED").containsEntry("lead_status", "DONE");
        assertThat(entryAndLead(dnc)).containsEntry("outcome", "DISCONNECTED").containsEntry("lead_status", "DNC")
                .containsEntry("last_outcome", "DNC");
    }

    /**
     * A trunk that turned out to be misconfigured closed good numbers as DISCONNECTED: the operator reopens the leads
     * the campaign closed so since a time. Leads closed before it, out of attempts, or otherwise stay closed.
     */
    @Test
    void theLeadsAMisconfiguredTrunkClosedAreReopenedSinceATime() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC",
                "max_attempts = 2, close_disconnected_numbers = true");
        long earlier = campaign.queued(OutboundFixture.phone());
        hangup(dialing(earlier), 1);
        jdbc.update("UPDATE outbound_queue SET done_at = now() - interval '2 days' WHERE lead_id = ?", earlier);
        Instant trunkChanged = Instant.now().minusSeconds(3600);
        long closed = campaign.queued(OutboundFixture.phone());
        hangup(dialing(closed), 28);
        long lastAttempt = campaign.queued(OutboundFixture.phone());
        jdbc.update("UPDATE leads SET attempts = 1 WHERE id = ?", lastAttempt);
        hangup(dialing(lastAttempt), 1);
        long answered = campaign.queued(OutboundFixture.phone());
        hangup(dialing(answered), 16);

        graphQl.as("staff").document(REOPEN).variable("campaign", campaign.campaignId())
                .variable("since", trunkChanged.toString()).execute()
                .path("reopenDisconnectedLeads.reopened").entity(Integer.class).isEqualTo(1);

        Map<String, Object> reopened = jdbc.queryForMap("SELECT status, attempts, last_outcome, "
                + "next_attempt_at <= now() AS due FROM leads WHERE id = ?", closed);
        assertThat(reopened).containsEntry("status", "RETRY").containsEntry("attempts", 1)
                .containsEntry("last_outcome", "DISCONNECTED").containsEntry("due", true);
        assertThat(entryAndLead(earlier)).containsEntry("lead_status", "DONE");
        assertThat(entryAndLead(lastAttempt)).containsEntry("lead_status", "DONE").containsEntry("attempts", 2);
        assertThat(entryAndLead(answered)).containsEntry("lead_status", "RETRY").containsEntry("outcome", "NO_ANSWER");
    }

    /** A seller reopens its own campaigns' leads only; another seller's campaign is not found. */
    @Test
    void aSellerReopensItsOwnCampaignsLeadsOnly() {
        long own = jdbc.queryForObject("SELECT c.id FROM campaigns c JOIN users u ON u.seller_id = c.seller_id "
                + "WHERE u.username = 'seller2' AND c.direction = 'OUTBOUND' ORDER BY c.id LIMIT 1", Long.class);
        graphQl.as("seller2").document(REOPEN).variable("campaign", own).variable("since", Instant.now().toString())
                .execute().path("reopenDisconnectedLeads.reopened").entity(Integer.class).isEqualTo(0);
        graphQl.as("seller1").document(REOPEN).variable("campaign", own).variable("since", Instant.now().toString())
                .execute().errors().expect(classified("NOT_FOUND")).verify();
    }

    /** The lead's queue entry as the dialer leaves it once its Originate is sent; returns its ChannelId. */
    private String dialing(long lead) {
        String channel = "cc-dc-" + UUID.randomUUID();
        jdbc.update("UPDATE outbound_queue SET status = 'DIALING', dialing_at = now(), channel_id = ? WHERE lead_id = ?",
                channel, lead);
        jdbc.update("UPDATE leads SET attempts = attempts + 1, last_attempt_at = now() WHERE id = ?", lead);
        return channel;
    }

    /** The lead channel's Hangup as Asterisk reports it after the carrier's final response. */
    private void hangup(String channel, int cause) {
        HangupEvent hangup = new HangupEvent(this);
        hangup.setChannel("PJSIP/trunk-0000" + cause);
        hangup.setUniqueId(channel);
        hangup.setLinkedId(channel);
        hangup.setCause(cause);
        events.onEvent(0, hangup);
    }

    private Map<String, Object> entryAndLead(long lead) {
        return jdbc.queryForMap("""
                SELECT q.status, q.outcome, q.hangup_cause, l.status AS lead_status, l.last_outcome, l.attempts,
                       extract(epoch FROM l.next_attempt_at - q.done_at)::int AS delay
                FROM outbound_queue q JOIN leads l ON l.id = q.lead_id WHERE q.lead_id = ?""", lead);
    }
}
