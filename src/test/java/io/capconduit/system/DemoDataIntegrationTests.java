package io.capconduit.system;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class DemoDataIntegrationTests {

    private static final String COUNTS = "SELECT (SELECT count(*) FROM sellers) AS sellers, "
            + "(SELECT count(*) FROM users) AS users, (SELECT count(*) FROM campaigns) AS campaigns, "
            + "(SELECT count(*) FROM dids) AS dids, (SELECT count(*) FROM campaign_client_settings) AS settings, "
            + "(SELECT count(*) FROM clients) AS clients";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DemoDataLoader loader;

    @Test
    void demoDataIsThereOnFirstStart() {
        assertThat(jdbc.queryForList("SELECT username FROM users ORDER BY username", String.class))
                .containsAll(List.of("admin", "seller1", "seller2", "staff"));
        // Other tests add rows to the shared database: count the demo's own rows by name.
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sellers WHERE name IN ('Acme Leads', 'Bright Media')",
                Integer.class)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM campaign_client_settings s JOIN campaigns c "
                + "ON c.id = s.campaign_id JOIN sellers se ON se.id = c.seller_id "
                + "WHERE se.name IN ('Acme Leads', 'Bright Media')", Integer.class)).isPositive();
    }

    @Test
    void demoCallLogsNameTheirDestinationAndHangupCauseAsReconciledOnesDo() {
        // the export's "Destination" is the DID an inbound call dialed, its "Hangup cause" the Q.850 code
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_logs WHERE linked_id LIKE 'demo-report-%'",
                Integer.class)).isEqualTo(420);
        assertThat(jdbc.queryForList("SELECT linked_id FROM call_logs WHERE linked_id LIKE 'demo-report-%' "
                + "AND (destination IS DISTINCT FROM did_number OR hangup_cause IS NULL)", String.class)).isEmpty();
    }

    @Test
    void aRestartDoesNotLoadItAgain() throws Exception {
        Map<String, Object> before = jdbc.queryForMap(COUNTS);

        loader.run(new DefaultApplicationArguments());
        loader.run(new DefaultApplicationArguments());

        assertThat(jdbc.queryForMap(COUNTS)).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM app_state WHERE key = ?", Integer.class,
                DemoDataLoader.MARKER)).isEqualTo(1);
    }
}
