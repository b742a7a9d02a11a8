package io.capconduit.reports;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class CapUsageIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    GraphQlTesters graphQl;

    @Test
    void usageInTheCurrentWindowAndWhatRemains() {
        ReportFixture fixture = new ReportFixture(jdbc);
        long seller = fixture.seller("caps", "UTC");
        long campaign = fixture.campaign(seller, "capped");
        long current = fixture.client("current", "America/Chicago");
        long rolled = fixture.client("rolled", "UTC");
        long uncapped = fixture.client("uncapped", "UTC");
        long lifetime = fixture.client("lifetime", "UTC");
        setting(campaign, current, 5, 20, "DAY", 3, 2, 7, "cap_window_start('DAY', 'America/Chicago', now())");
        setting(campaign, rolled, 2, 10, "HOUR", 0, 0, 9, "now() - interval '3 hours'");
        setting(campaign, uncapped, 1, null, "MONTH", 1, 1, 4, "cap_window_start('MONTH', 'UTC', now())");
        // a TOTAL cap has no window: what it used counts for good
        setting(campaign, lifetime, 1, 10, "TOTAL", 0, 0, 7, "NULL");

        List<Map<String, Object>> usage = graphQl.as("staff").documentName("capUsage")
                .variable("campaignId", String.valueOf(campaign)).execute()
                .path("capUsage").entityList(Map.class).get().stream().map(m -> (Map<String, Object>) m).toList();

        // two of the three calls in flight on "current" still ring: routing counts them against its cap of 20
        assertThat(usage).extracting(u -> u.get("clientName"), u -> u.get("inFlight"), u -> u.get("capUsed"),
                u -> u.get("ringing"), u -> u.get("remaining")).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(fixture.name("current"), 3, 7, 2, 11),
                        org.assertj.core.groups.Tuple.tuple(fixture.name("lifetime"), 0, 7, 0, 3),
                        org.assertj.core.groups.Tuple.tuple(fixture.name("rolled"), 0, 0, 0, 10),
                        org.assertj.core.groups.Tuple.tuple(fixture.name("uncapped"), 1, 4, 1, null));
        assertThat(usage.get(0).get("windowStart")).isNotNull();
        assertThat(usage.get(1).get("windowStart")).isNull();
    }

    /** Active as routing reads it: a deactivated seller's DIDs take no call, so its settings are not active either. */
    @Test
    void aSettingOfADeactivatedSellerIsNotActive() {
        ReportFixture fixture = new ReportFixture(jdbc);
        long seller = fixture.seller("gone-seller", "UTC");
        long campaign = fixture.campaign(seller, "gone-seller-campaign");
        setting(campaign, fixture.client("gone-seller-client", "UTC"), 1, null, "DAY", 0, 0, 0, "NULL");
        String active = "query ($campaignId: ID) { capUsage(campaignId: $campaignId) { active } }";
        graphQl.as("staff").document(active).variable("campaignId", String.valueOf(campaign)).execute()
                .path("capUsage[0].active").entity(Boolean.class).isEqualTo(true);

        jdbc.update("UPDATE sellers SET active = false WHERE id = ?", seller);

        graphQl.as("staff").document(active).variable("campaignId", String.valueOf(campaign)).execute()
                .path("capUsage[0].active").entity(Boolean.class).isEqualTo(false);
    }

    /**
     * A setting read through the API counts as routing does: an hourly window that rolled since the buyer's last call
     * (and that the reset job has not rolled yet) reads 0 used, from the current window's start. It read the last
     * window's count and start: a full cap to the operator while routing and capUsage offered the buyer calls.
     */
    @Test
    void aSettingReadsTheCountRoutingEnforcesLikeCapUsage() {
        ReportFixture fixture = new ReportFixture(jdbc);
        long seller = fixture.seller("stale", "UTC");
        long campaign = fixture.campaign(seller, "rolled");
        long client = fixture.client("rolled-buyer", "America/Chicago");
        setting(campaign, client, 2, 10, "HOUR", 0, 0, 10, "now() - interval '3 hours'");
        long setting = jdbc.queryForObject("SELECT id FROM campaign_client_settings WHERE campaign_id = ?", Long.class,
                campaign);

        var usage = graphQl.as("staff").documentName("capUsage").variable("campaignId", String.valueOf(campaign))
                .execute();
        usage.path("capUsage[0].capUsed").entity(Integer.class).isEqualTo(0);
        String windowStart = usage.path("capUsage[0].windowStart").entity(String.class).get();
        var read = graphQl.as("staff").document("""
                query ($id: ID!, $campaign: ID!) {
                  campaignClientSetting(id: $id) { capUsed capWindowStart }
                  campaign(id: $campaign) { settings { capUsed capWindowStart } }
                }""").variable("id", setting).variable("campaign", campaign).execute();

        read.path("campaignClientSetting.capUsed").entity(Integer.class).isEqualTo(0)
                .path("campaignClientSetting.capWindowStart").entity(String.class).isEqualTo(windowStart)
                .path("campaign.settings[0].capUsed").entity(Integer.class).isEqualTo(0)
                .path("campaign.settings[0].capWindowStart").entity(String.class).isEqualTo(windowStart);
        assertThat(jdbc.queryForObject("SELECT e.cap_used FROM route_evaluate(?, now()) e", Integer.class, campaign))
                .isZero();
    }

    @Test
    void aSellerSeesOnlyItsOwnSettings() {
        ReportFixture fixture = new ReportFixture(jdbc);
        long mine = fixture.seller("mine", "UTC");
        long theirs = fixture.seller("theirs", "UTC");
        long client = fixture.client("shared", "UTC");
        setting(fixture.campaign(mine, "m"), client, 1, 5, "DAY", 0, 0, 0, "NULL");
        setting(fixture.campaign(theirs, "t"), client, 1, 5, "DAY", 0, 0, 0, "NULL");

        List<String> sellers = graphQl.as(fixture.username("mine")).documentName("capUsage").execute()
                .path("capUsage[*].sellerId").entityList(String.class).get();

        assertThat(sellers).isNotEmpty().containsOnly(String.valueOf(mine));
    }

    /** capUsage cannot return every setting there is: the first 100 by default, 1 to 500 when asked. */
    @Test
    void capUsageListsTheFirstSettingsAskedForAtMost500() {
        ReportFixture fixture = new ReportFixture(jdbc);
        long seller = fixture.seller("many", "UTC");
        Long[] campaigns = new Long[11];
        Long[] clients = new Long[10];
        for (int i = 0; i < campaigns.length; i++) {
            campaigns[i] = fixture.campaign(seller, "c" + (char) ('a' + i));
        }
        for (int i = 0; i < clients.length; i++) {
            clients[i] = fixture.client("b" + i, "UTC");
        }
        jdbc.update("INSERT INTO campaign_client_settings (campaign_id, client_id, max_concurrent, total_cap, cap_period) "
                + "SELECT cp, cl, 1, 10, 'DAY' FROM unnest(?::bigint[]) cp, unnest(?::bigint[]) cl", campaigns, clients);
        String user = fixture.username("many");

        assertThat(graphQl.as(user).documentName("capUsageFirst").execute().path("capUsage")
                .entityList(Object.class).get()).hasSize(100);
        assertThat(graphQl.as(user).documentName("capUsageFirst").variable("first", 500).execute()
                .path("capUsage").entityList(Object.class).get()).hasSize(110);
        assertThat(graphQl.as(user).documentName("capUsageFirst").variable("first", 2).execute()
                .path("capUsage[*].clientName").entityList(String.class).get())
                .containsExactly(fixture.name("b0"), fixture.name("b1"));
        for (int first : new int[] {0, 501}) {
            graphQl.as(user).documentName("capUsageFirst").variable("first", first).execute().errors()
                    .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                            && "first".equals(error.getExtensions().get("field")))
                    .verify();
        }
    }

    /** Thousands of settings are read a page at a time, each once, in the order they were created. */
    @Test
    void capUsageConnectionPagesThroughEverySetting() {
        ReportFixture fixture = new ReportFixture(jdbc);
        long seller = fixture.seller("paged", "UTC");
        long other = fixture.seller("unpaged", "UTC");
        long campaign = fixture.campaign(seller, "p");
        List<Long> settings = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            settings.add(jdbc.queryForObject("INSERT INTO campaign_client_settings (campaign_id, client_id, "
                    + "max_concurrent, total_cap, cap_period, cap_used, cap_window_start) VALUES (?, ?, 1, 10, 'TOTAL', "
                    + "?, NULL) RETURNING id", Long.class, campaign, fixture.client("p" + i, "UTC"), i));
        }
        setting(fixture.campaign(other, "u"), fixture.client("u", "UTC"), 1, 5, "DAY", 0, 0, 0, "NULL");
        String user = fixture.username("paged");

        List<String> seen = new java.util.ArrayList<>();
        String after = null;
        boolean more = true;
        int pages = 0;
        while (more) {
            var page = graphQl.as(user).documentName("capUsageConnection").variable("first", 2)
                    .variable("after", after).execute();
            seen.addAll(page.path("capUsageConnection.edges[*].node.settingId").entityList(String.class).get());
            more = page.path("capUsageConnection.pageInfo.hasNextPage").entity(Boolean.class).get();
            after = page.path("capUsageConnection.pageInfo.endCursor").entity(String.class).get();
            pages++;
        }

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(settings.stream().map(String::valueOf).toList());
        assertThat(graphQl.as("staff").documentName("capUsageConnection").variable("campaignId", String.valueOf(campaign))
                .variable("first", 1).variable("after", null).execute()
                .path("capUsageConnection.edges[0].node.remaining").entity(Integer.class).get()).isEqualTo(10);
        graphQl.as(user).documentName("capUsageConnection").variable("after", "bm90LWEtY3Vyc29y").execute().errors()
                .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && "after".equals(error.getExtensions().get("field")))
                .verify();
    }

    private void setting(long campaign, long client, int maxConcurrent, Integer totalCap, String period, int inFlight,
            int ringing, int used, String windowStartSql) {
        jdbc.update("INSERT INTO campaign_client_settings (campaign_id, client_id, max_concurrent, total_cap, cap_period, "
                + "in_flight, reserved, cap_used, cap_window_start) VALUES (?, ?, ?, ?, ?, ?, ?, ?, " + windowStartSql
                + ")", campaign, client, maxConcurrent, totalCap, period, inFlight, ringing, used);
    }
}
