package io.capconduit.routing;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

@IntegrationTest
class RoutePreviewIntegrationTests {

    // bcrypt of "demo", as in sample-data/demo-data.sql
    private static final String DEMO_HASH = "{bcrypt}$2a$10$GvSqlry0sXny5I497g.KfuKGwyvoKtSbk2oQ1k/b98Sun9Nv13Hhe";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    GraphQlTesters graphQl;

    RoutingFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new RoutingFixtures(jdbc);
    }

    @Test
    void explainsWhoGetsTheCallAndWhyTheOthersAreSkipped() {
        var campaign = fixtures.campaign("PRIORITY");
        String capped = fixtures.client("UTC");
        String full = fixtures.client("UTC");
        String closed = fixtures.client("Asia/Tokyo");
        String inactive = fixtures.client("UTC");
        String open = fixtures.client("UTC");
        long cappedSetting = fixtures.setting(campaign.id(), capped, 1, 1, 5, 0, "DAY");
        long fullSetting = fixtures.setting(campaign.id(), full, 2, 1, 0, null, "DAY");
        fixtures.setting(campaign.id(), closed, 3, 1);
        jdbc.update("INSERT INTO client_schedules (client_id, day_of_week, open_time, close_time) VALUES (?, 1, "
                + "'09:00', '17:00')", fixtures.clientId(closed));
        long inactiveSetting = fixtures.setting(campaign.id(), inactive, 4, 1);
        jdbc.update("UPDATE campaign_client_settings SET active = false WHERE id = ?", inactiveSetting);
        fixtures.setting(campaign.id(), open, 5, 1);

        // Monday 2026-11-23 12:00 UTC is Monday 21:00 in Tokyo: after hours
        GraphQlTester.Response response = graphQl.as("staff").documentName("routePreview")
                .variable("did", campaign.did().substring(1)).variable("at", "2026-11-23T12:00:00Z").execute();

        response.path("routePreview.status").entity(String.class).isEqualTo("ROUTED");
        response.path("routePreview.did").entity(String.class).isEqualTo(campaign.did());
        response.path("routePreview.winner.clientName").entity(String.class).isEqualTo(open);
        List<Map<String, Object>> candidates = response.path("routePreview.candidates")
                .entityList(new ParameterizedTypeReference<Map<String, Object>>() { }).get();
        assertThat(candidates).extracting(c -> c.get("clientName"), c -> c.get("skipped"), c -> c.get("position"))
                .containsExactly(
                        tuple(open, null, 1),
                        tuple(capped, "CAP", null),
                        tuple(full, "CONCURRENCY", null),
                        tuple(closed, "SCHEDULE", null),
                        tuple(inactive, "SETTING_INACTIVE", null));
        assertThat(candidates.get(1).get("settingId")).isEqualTo(String.valueOf(cappedSetting));
        assertThat(candidates.get(2).get("settingId")).isEqualTo(String.valueOf(fullSetting));
    }

    @Test
    void weightedCampaignsShowEachBuyersChance() {
        var campaign = fixtures.campaign("WEIGHTED");
        String heavy = fixtures.client("UTC");
        fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        fixtures.setting(campaign.id(), heavy, 1, 3);

        GraphQlTester.Response response = graphQl.as("staff").documentName("routePreview")
                .variable("did", campaign.did()).execute();

        response.path("routePreview.winner.clientName").entity(String.class).isEqualTo(heavy);
        response.path("routePreview.candidates[*].share").entityList(Double.class).containsExactly(0.75, 0.25);
    }

    @Test
    void aSellerPreviewsItsOwnDidsOnlyAndAForeignOneLooksMissing() {
        var campaign = fixtures.campaign("PRIORITY");
        fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        String user = RoutingFixtures.unique("preview-seller");
        jdbc.update("INSERT INTO users (username, password_hash, role, seller_id) VALUES (?, ?, 'SELLER', ?)", user,
                DEMO_HASH, campaign.sellerId());

        graphQl.as(user).documentName("routePreview").variable("did", campaign.did()).execute()
                .path("routePreview.status").entity(String.class).isEqualTo("ROUTED");
        GraphQlTester.Response foreign = graphQl.as("seller2").documentName("routePreview")
                .variable("did", campaign.did()).execute();
        foreign.path("routePreview.status").entity(String.class).isEqualTo("UNKNOWN_DID");
        foreign.path("routePreview.campaignId").valueIsNull();
        foreign.path("routePreview.candidates").entityList(Object.class).hasSize(0);
        graphQl.as("seller2").documentName("routePreview").variable("did", "+15550000001").execute()
                .path("routePreview.status").entity(String.class).isEqualTo("UNKNOWN_DID");
    }

    @Test
    void aDidWithoutDigitsIsABadRequestNamingTheField() {
        graphQl.as("staff").documentName("routePreview").variable("did", "not a number").execute().errors()
                .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && "did".equals(error.getExtensions().get("field")))
                .verify();
    }

    /** The dialplan's normaliser keeps 0-9 only: other digits would look a number up that nobody typed. */
    @Test
    void aDidInOtherDigitsIsABadRequestNamingTheField() {
        for (String did : new String[] { "\u0668\u0660\u0660\u0665\u0665\u0665\u0660\u0661\u0660\u0661",
                "+1 800 555 \u0660\u0661\u0660\u0661" }) {
            graphQl.as("staff").documentName("routePreview").variable("did", did).execute().errors()
                    .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                            && "did".equals(error.getExtensions().get("field"))
                            && error.getMessage().contains("0-9"))
                    .verify();
        }
    }
}
