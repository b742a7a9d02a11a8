package io.capconduit.routing;

import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import io.capconduit.support.SqlStatementCounter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Nested fields are loaded in batches: 100 campaigns with settings and clients cost a fixed handful of statements. */
@IntegrationTest
class CampaignQueryStatementsIntegrationTests {

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SqlStatementCounter statements;

    @Test
    void hundredCampaignsWithSettingsAndClientsRunABoundedNumberOfStatements() {
        long seller = jdbc.queryForObject("INSERT INTO sellers (name) VALUES ('n-plus-one seller') RETURNING id", Long.class);
        jdbc.update("INSERT INTO clients (name, endpoint, sip_host) SELECT 'n+1 client ' || g, 'np1-client-' || g, "
                + "'sbc' || g || '.example' FROM generate_series(1, 10) g");
        jdbc.update("INSERT INTO campaigns (seller_id, name) SELECT ?, 'n+1 campaign ' || g FROM generate_series(1, 100) g",
                seller);
        jdbc.update("INSERT INTO campaign_client_settings (campaign_id, client_id) SELECT c.id, cl.id FROM campaigns c "
                + "JOIN clients cl ON cl.name LIKE 'n+1 client %' WHERE c.seller_id = ? AND (c.id + cl.id) % 3 = 0", seller);

        // what any request of this user costs before its query runs (signing in: the user, the sign-in throttle)
        long beforeSignIn = statements.count();
        graphQl.as("staff").document("{ __typename }").execute().path("__typename").hasValue();
        long signIn = statements.count() - beforeSignIn;

        long before = statements.count();
        graphQl.as("staff").document("""
                query ($seller: ID) {
                  campaigns(sellerId: $seller) {
                    name seller { name } trunk { name } dids { number }
                    settings { priority client { name schedule { dayOfWeek } hasSecret } campaign { name } }
                  }
                }""").variable("seller", seller).execute()
                .path("campaigns").entityList(Object.class).hasSize(100)
                .path("campaigns[0].settings[0].client.name").hasValue();
        long used = statements.count() - before - signIn;

        // campaigns, sellers, trunks, dids, settings, clients, schedules, campaigns-of-settings, (hasSecret)
        assertThat(used).isBetween(1L, 9L);
    }
}
