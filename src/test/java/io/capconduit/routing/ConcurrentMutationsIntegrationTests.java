package io.capconduit.routing;

import java.util.List;
import java.util.Map;

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
}
