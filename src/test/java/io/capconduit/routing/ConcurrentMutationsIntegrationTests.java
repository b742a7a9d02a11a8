package io.capconduit.routing;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.HeldRowLocks;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.capconduit.support.GraphQlErrors.badInput;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two mutations of one object at the same time apply one after the other: the later one starts from what the
 * earlier one wrote, so neither change is lost. The rows are held by a transaction of the test's own while
 * both are started, which fixes their order.
 */
@IntegrationTest
class ConcurrentMutationsIntegrationTests {

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void aDidDeactivatedWhileItsSellerAssignsItStaysDeactivated() throws Exception {
        long acme = jdbc.queryForObject("SELECT id FROM sellers WHERE name = 'Acme Leads'", Long.class);
        long campaign = jdbc.queryForObject("SELECT id FROM campaigns WHERE name = 'Auto Insurance'", Long.class);
        long did = jdbc.queryForObject("INSERT INTO dids (number, seller_id) VALUES ('+18005550931', ?) RETURNING id",
                Long.class, acme);

        try (HeldRowLocks held = HeldRowLocks.take(dataSource, "SELECT 1 FROM dids WHERE id = ? FOR UPDATE", did)) {
            held.queue(() -> graphQl.as("staff").document("mutation ($id: ID!) { deactivateDid(id: $id) "
                    + "{ did { active } } }").variable("id", did).execute().path("deactivateDid.did.active")
                    .entity(Boolean.class).isEqualTo(false));
            held.queue(() -> graphQl.as("seller1").document("mutation ($id: ID!, $c: ID) { assignDid(id: $id, "
                    + "campaignId: $c) { did { campaignId } } }").variable("id", did).variable("c", campaign).execute()
                    .path("assignDid.did.campaignId").entity(String.class).isEqualTo(String.valueOf(campaign)));
            held.release();
        }

        assertThat(jdbc.queryForMap("SELECT active, campaign_id FROM dids WHERE id = ?", did))
                .containsEntry("active", false).containsEntry("campaign_id", campaign);
    }

    /**
     * Routing reads a buyer's facts (active, endpoint, time zone, hours) from copies on its settings. A buyer linked
     * to a campaign while an admin's change of that buyer is under way used to copy the buyer as it was before the
     * change, and kept the stale copy until the buyer's next edit: a deactivated buyer still offered calls. The new
     * setting now waits for the change and copies the buyer as it committed.
     */
    @Test
    void aBuyerLinkedWhileAnAdminDeactivatesItIsCopiedDeactivated() throws Exception {
        RoutingFixtures fixtures = new RoutingFixtures(jdbc);
        var campaign = fixtures.campaign("PRIORITY");
        String buyer = fixtures.client("UTC");
        long client = fixtures.clientId(buyer);

        // the admin's deactivation, as updateClient writes it, not committed yet
        try (HeldRowLocks admin = HeldRowLocks.take(dataSource, "WITH locked AS (SELECT id FROM clients WHERE id = ? "
                + "FOR UPDATE), changed AS (UPDATE clients SET active = false WHERE id IN (SELECT id FROM locked) "
                + "RETURNING id) SELECT id FROM changed", client)) {
            admin.queue(() -> graphQl.as("staff").document("mutation ($c: ID!, $b: ID!) { linkClient(input: "
                    + "{campaignId: $c, clientId: $b}) { setting { id } } }").variable("c", campaign.id())
                    .variable("b", client).execute().path("linkClient.setting.id").hasValue());
            admin.release();
        }

        assertThat(jdbc.queryForObject("SELECT client_active FROM campaign_client_settings WHERE campaign_id = ? "
                + "AND client_id = ?", Boolean.class, campaign.id(), client)).isFalse();
        assertThat(jdbc.queryForObject("SELECT skip_reason FROM route_evaluate(?, now())", String.class,
                campaign.id())).isEqualTo("CLIENT_INACTIVE");
    }

    @Test
    void aCampaignDeactivatedWhileItsSellerRenamesItStaysDeactivated() throws Exception {
        long campaign = jdbc.queryForObject("INSERT INTO campaigns (seller_id, name) SELECT id, 'Race Campaign' "
                + "FROM sellers WHERE name = 'Acme Leads' RETURNING id", Long.class);

        inOrder("SELECT 1 FROM campaigns WHERE id = ? FOR UPDATE", campaign,
                () -> mutate("staff", "mutation ($id: ID!) { deactivateCampaign(id: $id) { campaign { id } } }", campaign),
                () -> mutate("seller1", "mutation ($id: ID!) { updateCampaign(id: $id, input: {name: \"Race Renamed\"}) "
                        + "{ campaign { id } } }", campaign));

        assertThat(jdbc.queryForMap("SELECT active, name FROM campaigns WHERE id = ?", campaign))
                .containsEntry("active", false).containsEntry("name", "Race Renamed");
    }

    @Test
    void aSettingDeactivatedWhileItsSellerReweighsItStaysDeactivated() throws Exception {
        long campaign = jdbc.queryForObject("INSERT INTO campaigns (seller_id, name) SELECT id, 'Race Settings' "
                + "FROM sellers WHERE name = 'Acme Leads' RETURNING id", Long.class);
        long setting = jdbc.queryForObject("INSERT INTO campaign_client_settings (campaign_id, client_id) "
                + "SELECT ?, min(id) FROM clients RETURNING id", Long.class, campaign);

        inOrder("SELECT 1 FROM campaign_client_settings WHERE id = ? FOR UPDATE", setting,
                () -> mutate("staff", "mutation ($id: ID!) { deactivateCampaignClientSetting(id: $id) "
                        + "{ setting { id } } }", setting),
                () -> mutate("seller1", "mutation ($id: ID!) { updateCampaignClientSetting(id: $id, input: {weight: 7}) "
                        + "{ setting { id } } }", setting));

        assertThat(jdbc.queryForMap("SELECT active, weight FROM campaign_client_settings WHERE id = ?", setting))
                .containsEntry("active", false).containsEntry("weight", 7);
    }

    /**
     * A cap period changed back while another change of it is under way: the later change read the period before
     * the earlier one committed, saw no change to make, and left the earlier change's window (this hour's, with
     * this hour's calls) on a daily cap, which then counted the day from this hour only.
     */
    @Test
    void aCapPeriodChangedBackWhileItIsBeingChangedCountsTheWholeWindow() throws Exception {
        // a zone where this hour is not the day's first, and the day does not end during the test
        String zone = Stream.of("UTC", "Asia/Tokyo", "America/New_York")
                .filter(z -> ZonedDateTime.now(ZoneId.of(z)).getHour() >= 2)
                .filter(z -> ZonedDateTime.now(ZoneId.of(z)).getHour() <= 22).findFirst().orElseThrow();
        long client = jdbc.queryForObject("INSERT INTO clients (name, time_zone, endpoint, sip_host) VALUES "
                + "('Race Period Buyer', ?, 'race-period-buyer', 'sbc.example') RETURNING id", Long.class, zone);
        long campaign = jdbc.queryForObject("INSERT INTO campaigns (seller_id, name) SELECT id, 'Race Period' "
                + "FROM sellers WHERE name = 'Acme Leads' RETURNING id", Long.class);
        long setting = jdbc.queryForObject("INSERT INTO campaign_client_settings (campaign_id, client_id, total_cap, "
                + "cap_period, cap_used, cap_window_start) VALUES (?, ?, 10, 'DAY', 3, "
                + "cap_window_start('DAY', ?, now())) RETURNING id", Long.class, campaign, client, zone);
        // three calls answered early today, before this hour
        jdbc.update("INSERT INTO route_claims (call_uid, setting_id, status, claimed_at, answered_at, released_at) "
                + "SELECT 'race-period-' || ? || '-' || g, ?, 'ANSWERED', a.w, a.w, a.w "
                + "FROM generate_series(1, 3) g, (SELECT cap_window_start('DAY', ?, now()) + interval '1 minute') a (w)",
                setting, setting, zone);

        inOrder("SELECT 1 FROM campaign_client_settings WHERE id = ? FOR UPDATE", setting,
                () -> mutate("staff", "mutation ($id: ID!) { updateCampaignClientSetting(id: $id, "
                        + "input: {capPeriod: HOUR}) { setting { id } } }", setting),
                () -> mutate("seller1", "mutation ($id: ID!) { updateCampaignClientSetting(id: $id, "
                        + "input: {capPeriod: DAY}) { setting { id } } }", setting));

        assertThat(jdbc.queryForMap("SELECT cap_period, cap_used, cap_window_start = cap_window_start('DAY', ?, now()) "
                + "AS day_window FROM campaign_client_settings WHERE id = ?", zone, setting))
                .containsEntry("cap_period", "DAY").containsEntry("cap_used", 3).containsEntry("day_window", true);
    }

    @Test
    void aSellerDeactivatedWhileAnotherAdminEditsItStaysDeactivated() throws Exception {
        long seller = jdbc.queryForObject("INSERT INTO sellers (name) VALUES ('Race Seller') RETURNING id", Long.class);

        inOrder("SELECT 1 FROM sellers WHERE id = ? FOR UPDATE", seller,
                () -> mutate("admin", "mutation ($id: ID!) { deactivateSeller(id: $id) { seller { id } } }", seller),
                () -> mutate("admin", "mutation ($id: ID!) { updateSeller(id: $id, input: {email: \"race@seller.example\"}) "
                        + "{ seller { id } } }", seller));

        assertThat(jdbc.queryForMap("SELECT active, email FROM sellers WHERE id = ?", seller))
                .containsEntry("active", false).containsEntry("email", "race@seller.example");
    }

    @Test
    void aTrunkDeactivatedWhileAnotherAdminEditsItStaysDeactivated() throws Exception {
        long trunk = jdbc.queryForObject("INSERT INTO trunks (name, endpoint, match_ips) "
                + "VALUES ('Race Carrier', 'race-carrier', '{192.0.2.77}') RETURNING id", Long.class);

        inOrder("SELECT 1 FROM trunks WHERE id = ? FOR UPDATE", trunk,
                () -> mutate("admin", "mutation ($id: ID!) { deactivateTrunk(id: $id) { trunk { id } } }", trunk),
                () -> mutate("admin", "mutation ($id: ID!) { updateTrunk(id: $id, input: {dialPrefix: \"9\"}) "
                        + "{ trunk { id } } }", trunk));

        assertThat(jdbc.queryForMap("SELECT active, dial_prefix FROM trunks WHERE id = ?", trunk))
                .containsEntry("active", false).containsEntry("dial_prefix", "9");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ps_endpoints WHERE id = 'race-carrier'", Integer.class))
                .isZero();
    }

    @Test
    void twoScheduleReplacementsAtOnceLeaveTheLaterOneOnly() throws Exception {
        long client = jdbc.queryForObject("INSERT INTO clients (name, endpoint, sip_host) VALUES ('Schedule Race Co', "
                + "'schedule-race', 'sbc.race.example') RETURNING id", Long.class);
        jdbc.update("INSERT INTO client_schedules (client_id, day_of_week, open_time, close_time) "
                + "VALUES (?, 1, '09:00', '17:00')", client);
        String set = "mutation ($id: ID!, $hours: [ScheduleHoursInput!]!) { setClientSchedule(clientId: $id, "
                + "hours: $hours) { client { id } } }";

        // as a third replacement still in flight would: the client and its hours
        try (HeldRowLocks held = HeldRowLocks.take(dataSource, "SELECT 1 FROM clients c JOIN client_schedules s "
                + "ON s.client_id = c.id WHERE c.id = ? FOR UPDATE", client)) {
            held.queue(() -> graphQl.as("admin").document(set).variable("id", client).variable("hours",
                    List.of(Map.of("dayOfWeek", 2, "openTime", "08:00", "closeTime", "12:00"))).execute()
                    .path("setClientSchedule.client.id").hasValue());
            held.queue(() -> graphQl.as("admin").document(set).variable("id", client).variable("hours",
                    List.of(Map.of("dayOfWeek", 3, "openTime", "13:00", "closeTime", "18:00"))).execute()
                    .path("setClientSchedule.client.id").hasValue());
            held.release();
        }

        assertThat(jdbc.queryForList("SELECT day_of_week || ' ' || open_time FROM client_schedules "
                + "WHERE client_id = ?", String.class, client)).containsExactly("3 13:00:00");
    }

    @Test
    void aClientLinkedTwiceAtOnceIsRefusedTheSecondTimeAsWhenOneAfterTheOther() throws Exception {
        long campaign = jdbc.queryForObject("INSERT INTO campaigns (seller_id, name) SELECT id, 'Race Link' "
                + "FROM sellers WHERE name = 'Acme Leads' RETURNING id", Long.class);
        long client = jdbc.queryForObject("SELECT id FROM clients WHERE name = 'Lone Star Solar'", Long.class);

        // the first link, still in flight: its row is not visible yet, so the second one's check passes
        try (HeldRowLocks held = HeldRowLocks.take(dataSource, "INSERT INTO campaign_client_settings "
                + "(campaign_id, client_id) VALUES (?, ?) RETURNING id", campaign, client)) {
            held.queue(() -> graphQl.as("seller1").document("mutation ($input: LinkClientInput!) { linkClient(input: "
                    + "$input) { setting { id } } }").variable("input", Map.of("campaignId", campaign, "clientId", client))
                    .execute().errors().expect(badInput("input.clientId").and(error -> error.getMessage()
                            .contains("is linked to campaign " + campaign + " already"))).verify());
            held.release();
        }

        assertThat(jdbc.queryForObject("SELECT count(*) FROM campaign_client_settings WHERE campaign_id = ?",
                Integer.class, campaign)).isOne();
    }

    /** {@code first}, then {@code second}, both waiting behind the row {@code lockingSql} holds until it lets go. */
    private void inOrder(String lockingSql, long id, Runnable first, Runnable second) throws Exception {
        try (HeldRowLocks held = HeldRowLocks.take(dataSource, lockingSql, id)) {
            held.queue(first);
            held.queue(second);
            held.release();
        }
    }

    /**
     * A campaign given a trunk while an admin clears that trunk's host: the campaign read the trunk with its host
     * and went ahead, and the admin found no campaign sending through it, so both committed and every call of the
     * campaign went nowhere. The campaign now waits for the change and refuses the trunk as it committed.
     */
    @Test
    void aTrunkLosingItsHostWhileACampaignTakesItIsRefused() throws Exception {
        long trunk = Long.parseLong(graphQl.as("admin").document("mutation { createTrunk(input: {name: "
                + "\"Leaving Carrier\", host: \"sip.leaving.example\", matchIps: [\"198.51.100.94\"]}) { trunk { id } } }").execute()
                .path("createTrunk.trunk.id").entity(String.class).get());
        long campaign = jdbc.queryForObject("SELECT id FROM campaigns WHERE name = 'Solar Callbacks'", Long.class);
        long before = jdbc.queryForObject("SELECT trunk_id FROM campaigns WHERE id = ?", Long.class, campaign);

        // the admin's updateTrunk(host: ""), as it writes it, not committed yet
        try (HeldRowLocks admin = HeldRowLocks.take(dataSource, "WITH locked AS (SELECT id FROM trunks WHERE id = ? "
                + "FOR UPDATE), changed AS (UPDATE trunks SET host = NULL WHERE id IN (SELECT id FROM locked) "
                + "RETURNING id) SELECT id FROM changed", trunk)) {
            admin.queue(() -> graphQl.as("staff").document("mutation ($id: ID!, $t: ID!) { updateCampaign(id: $id, "
                    + "input: {trunkId: $t}) { campaign { trunkId } } }").variable("id", campaign).variable("t", trunk)
                    .execute().errors()
                    .expect(badInput("input.trunkId").and(error -> error.getMessage().contains("no host")))
                    .verify());
            admin.release();
        }

        assertThat(jdbc.queryForObject("SELECT trunk_id FROM campaigns WHERE id = ?", Long.class, campaign))
                .isEqualTo(before);
    }

    private void mutate(String username, String document, long id) {
        graphQl.as(username).document(document).variable("id", id).execute().errors().verify();
    }
}
