package io.capconduit.dialer;

import java.sql.Connection;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.capconduit.support.Eventually;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class HopperFillIntegrationTests {

    // New York 09:30, Los Angeles 06:30, London 14:30
    private static final Instant NOW = Instant.parse("2026-01-15T14:30:00Z");

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    HopperFillService hopperFill;

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    DialerMapper dialer;

    /**
     * Two fills of one campaign at once (the scheduled job in one application instance, fillHopperNow in another),
     * both counting the hopper before either has queued: the second counts the room the first left, so the hopper
     * holds its level, not twice it.
     */
    @Test
    void twoFillsOfOneCampaignAtOnceFillItsHopperToItsLevelOnce() throws Exception {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "hopper_level = 3");
        for (int i = 0; i < 6; i++) {
            campaign.lead(OutboundFixture.phone(), null);
        }
        ExecutorService instances = Executors.newFixedThreadPool(2);
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement lock = holder.createStatement()) {
                // reads go on, writes to the queue wait: both fills count the hopper, then wait to change it
                lock.execute("LOCK TABLE outbound_queue IN SHARE MODE");
            }
            List<Future<HopperFillRun>> fills = List.of(
                    instances.submit(() -> hopperFill.fill(campaign.campaignId(), null, NOW)),
                    instances.submit(() -> hopperFill.fill(campaign.campaignId(), null, NOW)));
            Eventually.await("both fills waiting", Duration.ofSeconds(20), () -> jdbc.queryForObject(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND (relation = 'outbound_queue'::regclass "
                    + "OR locktype = 'advisory')", Integer.class) >= 2);
            holder.rollback();
            for (Future<HopperFillRun> fill : fills) {
                fill.get(30, TimeUnit.SECONDS);
            }
        }
        finally {
            instances.shutdownNow();
        }

        assertThat(queuedLeads(campaign)).hasSize(3);
    }

    @Test
    void fillsLeastAttemptedOldestFirstUpToTheLevelAndCountsEveryExclusion() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "Europe/London",
                "hopper_level = 3, max_attempts = 3, call_window_start = '09:00', call_window_end = '20:00'");
        long newYork = campaign.lead(OutboundFixture.phone(), "America/New_York");
        long losAngeles = campaign.lead(OutboundFixture.phone(), "America/Los_Angeles");
        long sellersZone = campaign.lead(OutboundFixture.phone(), null);
        long retried = campaign.lead(OutboundFixture.phone(), "America/New_York");
        jdbc.update("UPDATE leads SET status = 'RETRY', attempts = 1, next_attempt_at = ? WHERE id = ?",
                Timestamp.from(NOW.minusSeconds(60)), retried);
        long waiting = campaign.lead(OutboundFixture.phone(), "America/New_York");
        jdbc.update("UPDATE leads SET status = 'RETRY', attempts = 1, next_attempt_at = ? WHERE id = ?",
                Timestamp.from(NOW.plusSeconds(600)), waiting);
        long exhausted = campaign.lead(OutboundFixture.phone(), "America/New_York");
        jdbc.update("UPDATE leads SET attempts = 3 WHERE id = ?", exhausted);
        String dncPhone = OutboundFixture.phone();
        campaign.lead(dncPhone, "America/New_York");
        jdbc.update("INSERT INTO dnc_numbers (phone) VALUES (?)", dncPhone);
        long done = campaign.lead(OutboundFixture.phone(), "America/New_York");
        jdbc.update("UPDATE leads SET status = 'DONE' WHERE id = ?", done);
        long alreadyQueued = campaign.queued(OutboundFixture.phone());

        HopperFillRun run = hopperFill.fill(campaign.campaignId(), null, NOW);

        assertThat(queuedLeads(campaign)).containsExactlyInAnyOrder(alreadyQueued, newYork, sellersZone);
        assertThat(run.inserted()).isEqualTo(2);
        assertThat(run.queuedBefore()).isEqualTo(1);
        assertThat(run.eligible()).isNull();                      // the hopper filled up: more were eligible
        assertThat(run.excludedCallWindow()).isEqualTo(1);       // losAngeles
        assertThat(run.excludedRetryDelay()).isEqualTo(1);       // waiting
        assertThat(run.excludedMaxAttempts()).isEqualTo(1);
        assertThat(run.excludedDnc()).isEqualTo(1);
        assertThat(run.excludedAlreadyQueued()).isEqualTo(1);
        assertThat(run.closedLeads()).isEqualTo(1);
        assertThat(losAngeles).isPositive();

        HopperFillRun full = hopperFill.fill(campaign.campaignId(), null, NOW);
        assertThat(full.inserted()).isZero();
        assertThat(full.emptyReason()).startsWith("The hopper is full");
        jdbc.update("UPDATE campaigns SET hopper_level = 10 WHERE id = ?", campaign.campaignId());
        HopperFillRun rest = hopperFill.fill(campaign.campaignId(), null, NOW);
        assertThat(rest.inserted()).isEqualTo(1);                 // retried, after the new ones
        assertThat(rest.eligible()).isEqualTo(1);
        assertThat(rest.excludedAlreadyQueued()).isEqualTo(3);
    }

    @Test
    void aLeadWhoseNumberSpansZonesWaitsUntilTheWindowIsOpenInAllOfThem() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC",
                "hopper_level = 10, call_window_start = '09:00', call_window_end = '20:00'");
        // at NOW New York is open (09:30) and Chicago not yet (08:30)
        long eastOrCentral = campaign.leadInZones(OutboundFixture.phone(), "America/New_York", "America/Chicago");
        long eastOnly = campaign.leadInZones(OutboundFixture.phone(), "America/New_York", "America/Detroit");

        HopperFillRun early = hopperFill.fill(campaign.campaignId(), null, NOW);
        assertThat(queuedLeads(campaign)).containsExactly(eastOnly);
        assertThat(early.excludedCallWindow()).isEqualTo(1);

        HopperFillRun later = hopperFill.fill(campaign.campaignId(), null, NOW.plusSeconds(3600));
        assertThat(queuedLeads(campaign)).containsExactlyInAnyOrder(eastOnly, eastOrCentral);
        assertThat(later.excludedCallWindow()).isZero();
    }

    @Test
    void theDialerHandsSuchALeadOutOnlyWhileTheWindowIsOpenInAllOfItsZones() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC",
                "call_window_start = '09:00', call_window_end = '20:00'");
        long lead = campaign.leadInZones(OutboundFixture.phone(), "America/New_York", "America/Chicago");
        jdbc.update("INSERT INTO outbound_queue (campaign_id, lead_id) VALUES (?, ?)", campaign.campaignId(), lead);
        long server = OutboundFixture.server(jdbc, 1, "unused");
        jdbc.update("UPDATE asterisk_servers SET active = false WHERE id = ?", server);   // no dialer dials it
        DialerMapper.DialCampaign dialed = dialer.findCampaign(campaign.campaignId());
        CallWindow window = new CallWindow(dialed.callWindowStart(), dialed.callWindowEnd());

        assertThat(dialer.handOut(dialed, server, 10, window.zonesOpenAt(NOW))).isEmpty();
        assertThat(dialer.handOut(dialed, server, 10, window.zonesOpenAt(NOW.plusSeconds(3600))))
                .extracting(DialerMapper.HandedOut::leadId).containsExactly(lead);
    }

    @Test
    void aListThatStopsFeedingTheCampaignTakesItsLeadsOutOfTheHopper() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "hopper_level = 10");
        long first = campaign.lead(OutboundFixture.phone(), "UTC");
        long second = campaign.lead(OutboundFixture.phone(), "UTC");
        assertThat(hopperFill.fill(campaign.campaignId(), null, NOW).inserted()).isEqualTo(2);
        String unlink = "mutation ($c: ID!, $l: ID!) { unlinkLeadList(campaignId: $c, listId: $l) { leadList { id } } }";
        String link = "mutation ($c: ID!, $l: ID!) { linkLeadList(campaignId: $c, listId: $l) { leadList { id } } }";

        graphQl.as("staff").document(unlink).variable("c", campaign.campaignId()).variable("l", campaign.listId())
                .execute().path("unlinkLeadList.leadList.id").hasValue();
        assertThat(queuedLeads(campaign)).isEmpty();
        assertThat(jdbc.queryForList("SELECT outcome FROM outbound_queue WHERE campaign_id = ?", String.class,
                campaign.campaignId())).containsExactly("CANCELLED", "CANCELLED");
        // the leads themselves are as they were: linked again, they are queued again
        graphQl.as("staff").document(link).variable("c", campaign.campaignId()).variable("l", campaign.listId())
                .execute().path("linkLeadList.leadList.id").hasValue();
        assertThat(hopperFill.fill(campaign.campaignId(), null, NOW).inserted()).isEqualTo(2);

        graphQl.as("staff").document("mutation ($l: ID!) { updateLeadList(id: $l, input: {active: false}) "
                + "{ leadList { active } } }").variable("l", campaign.listId()).execute()
                .path("updateLeadList.leadList.active").entity(Boolean.class).isEqualTo(false);
        assertThat(queuedLeads(campaign)).isEmpty();
        HopperFillRun inactive = hopperFill.fill(campaign.campaignId(), null, NOW);
        assertThat(inactive.inserted()).isZero();
        assertThat(inactive.emptyReason()).startsWith("The campaign has no active lead lists");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM leads WHERE id IN (?, ?) AND status = 'NEW' "
                + "AND attempts = 0", Long.class, first, second)).isEqualTo(2);
    }

    @Test
    void anEntryQueuedAsItsListStoppedFeedingTheCampaignIsNeverDialedAndTheNextFillCancelsIt() {
        // the fill queued it and committed after the list's change had cancelled what it saw
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "hopper_level = 10");
        long lead = campaign.queued(OutboundFixture.phone());
        jdbc.update("UPDATE lead_lists SET active = false WHERE id = ?", campaign.listId());
        long server = OutboundFixture.server(jdbc, 1, "unused");
        jdbc.update("UPDATE asterisk_servers SET active = false WHERE id = ?", server);   // no dialer dials it
        DialerMapper.DialCampaign dialed = dialer.findCampaign(campaign.campaignId());
        String[] open = new CallWindow(dialed.callWindowStart(), dialed.callWindowEnd()).zonesOpenAt(NOW);

        assertThat(dialer.handOut(dialed, server, 10, open)).isEmpty();
        hopperFill.fill(campaign.campaignId(), null, NOW);
        assertThat(jdbc.queryForMap("SELECT status, outcome FROM outbound_queue WHERE lead_id = ?", lead))
                .containsEntry("status", "DONE").containsEntry("outcome", "CANCELLED");

        // and an unlinked list's entry likewise
        jdbc.update("UPDATE lead_lists SET active = true WHERE id = ?", campaign.listId());
        long other = campaign.queued(OutboundFixture.phone());
        jdbc.update("DELETE FROM campaign_lead_lists WHERE campaign_id = ?", campaign.campaignId());
        assertThat(dialer.handOut(dialed, server, 10, open)).isEmpty();
        hopperFill.fill(campaign.campaignId(), null, NOW);
        assertThat(jdbc.queryForObject("SELECT outcome FROM outbound_queue WHERE lead_id = ?", String.class, other))
                .isEqualTo("CANCELLED");
    }

    @Test
    void aDeactivatedCampaignsEntriesAreCancelledAndItsHopperIsNotFilledOnDemand() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        graphQl.as("staff").document("mutation ($id: ID!) { deactivateCampaign(id: $id) { campaign { active } } }")
                .variable("id", campaign.campaignId()).execute()
                .path("deactivateCampaign.campaign.active").entity(Boolean.class).isEqualTo(false);

        hopperFill.fillAll(null);
        assertThat(jdbc.queryForMap("SELECT status, outcome FROM outbound_queue WHERE lead_id = ?", lead))
                .containsEntry("status", "DONE").containsEntry("outcome", "CANCELLED");
        graphQl.as("staff").document("mutation ($id: ID!) { fillHopperNow(campaignId: $id) { inserted } }")
                .variable("id", campaign.campaignId()).execute()
                .errors().expect(io.capconduit.support.GraphQlErrors.badInput("campaignId")).verify();
        assertThat(queuedLeads(campaign)).isEmpty();
    }

    @Test
    void aNumberPutOnTheDoNotCallListLeavesEveryHopper() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        String phone = String.format("+1201555%04d", (int) (Math.random() * 10_000));   // a number libphonenumber takes
        long lead = campaign.queued(phone);
        long untouched = campaign.queued(OutboundFixture.phone());

        // taken by another seller (seller2), the opt-out empties this seller's hopper too, but does not tell seller2
        // that this seller was about to call the number
        graphQl.as("seller2").document("mutation ($p: String!) { addDncNumbers(input: {phones: [$p]}) "
                        + "{ added cancelledQueueEntries } }").variable("p", phone).execute()
                .path("addDncNumbers.added").entity(Integer.class).isEqualTo(1)
                .path("addDncNumbers.cancelledQueueEntries").entity(Integer.class).isEqualTo(0);
        assertThat(jdbc.queryForMap("SELECT status, outcome FROM outbound_queue WHERE lead_id = ?", lead))
                .containsEntry("status", "DONE").containsEntry("outcome", "DNC");
        assertThat(queuedLeads(campaign)).containsExactly(untouched);
    }

    @Test
    void diagnosticsAreInGraphQlForStaffAndHiddenFromOtherSellers() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "hopper_level = 5");
        campaign.lead(OutboundFixture.phone(), "UTC");
        hopperFill.fill(campaign.campaignId(), null, NOW);
        String query = "query ($id: ID!) { hopperDiagnostics(campaignId: $id) { inserted eligible emptyReason "
                + "excludedCallWindow } }";

        graphQl.as("staff").document(query).variable("id", campaign.campaignId()).execute()
                .path("hopperDiagnostics[0].inserted").entity(Integer.class).isEqualTo(1)
                .path("hopperDiagnostics[0].emptyReason").valueIsNull();
        graphQl.as("seller1").document(query).variable("id", campaign.campaignId()).execute()
                .errors().expect(error -> "NOT_FOUND".equals(error.getExtensions().get("classification"))).verify();
        // an explicit null is the default count, not an internal error
        graphQl.as("staff").document("query ($id: ID!) { hopperDiagnostics(campaignId: $id, last: null) { inserted } "
                + "outboundRecordings(campaignId: $id, first: null) { recordingId } }").variable("id", campaign.campaignId())
                .execute().path("hopperDiagnostics[0].inserted").entity(Integer.class).isEqualTo(1);
    }

    private List<Long> queuedLeads(OutboundFixture campaign) {
        return jdbc.queryForList("SELECT lead_id FROM outbound_queue WHERE campaign_id = ? AND status = 'QUEUED'",
                Long.class, campaign.campaignId());
    }
}
