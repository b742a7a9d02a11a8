package io.capconduit.routing;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.HeldRowLocks;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

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
}
