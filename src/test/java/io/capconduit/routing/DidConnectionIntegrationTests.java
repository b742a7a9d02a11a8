package io.capconduit.routing;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.capconduit.support.GraphQlErrors.badInput;
import static org.assertj.core.api.Assertions.assertThat;

/** didConnection: a seller's whole inventory a bounded page at a time, within what the caller may see. */
@IntegrationTest
class DidConnectionIntegrationTests {

    private static final String PAGE = """
            query ($seller: ID, $campaign: ID, $first: Int, $after: String) {
              didConnection(sellerId: $seller, campaignId: $campaign, first: $first, after: $after) {
                edges { cursor node { number sellerId campaign { id } } } pageInfo { hasNextPage endCursor } } }""";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void pagesThroughEveryDidOfASellerOnceInTheOrderTheyWereCreated() {
        RoutingFixtures fixtures = new RoutingFixtures(jdbc);
        var campaign = fixtures.campaign("PRIORITY");
        String second = fixtures.did(campaign.sellerId(), campaign.id());
        String third = fixtures.did(campaign.sellerId(), null);

        GraphQlTester.Response first = graphQl.as("staff").document(PAGE).variable("seller", campaign.sellerId())
                .variable("first", 2).execute();
        first.path("didConnection.edges[*].node.number").entityList(String.class).containsExactly(campaign.did(), second)
                .path("didConnection.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(true);
        String end = first.path("didConnection.pageInfo.endCursor").entity(String.class).get();

        graphQl.as("staff").document(PAGE).variable("seller", campaign.sellerId()).variable("first", 2)
                .variable("after", end).execute()
                .path("didConnection.edges[*].node.number").entityList(String.class).containsExactly(third)
                .path("didConnection.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(false);
        graphQl.as("staff").document(PAGE).variable("campaign", campaign.id()).execute()
                .path("didConnection.edges[*].node.number").entityList(String.class)
                .containsExactly(campaign.did(), second);
    }

    @Test
    void aSellerPagesOnlyThroughItsOwnDids() {
        long seller1 = jdbc.queryForObject("SELECT seller_id FROM users WHERE username = 'seller1'", Long.class);
        long seller2 = jdbc.queryForObject("SELECT seller_id FROM users WHERE username = 'seller2'", Long.class);

        List<String> own = graphQl.as("seller1").document(PAGE).variable("first", 500).execute()
                .path("didConnection.edges[*].node.sellerId").entityList(String.class).get();
        assertThat(own).isNotEmpty().containsOnly(String.valueOf(seller1));
        graphQl.as("seller1").document(PAGE).variable("seller", seller2).execute()
                .path("didConnection.edges").entityList(Object.class).hasSize(0);
    }

    @Test
    void aPageIsBoundedAndACursorNotOfThisListRefused() {
        graphQl.as("staff").document(PAGE).variable("first", 501).execute().errors().expect(badInput("first")).verify();
        graphQl.as("staff").document(PAGE).variable("after", "not-a-cursor").execute().errors()
                .expect(badInput("after")).verify();
    }
}
