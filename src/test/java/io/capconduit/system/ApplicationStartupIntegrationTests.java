package io.capconduit.system;

import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class ApplicationStartupIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    GraphQlTesters graphQl;

    @Test
    void everyMigrationAppliesFromEmpty() {
        Integer failed = jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE NOT success",
                Integer.class);
        Integer applied = jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE success",
                Integer.class);
        assertThat(failed).isZero();
        assertThat(applied).isGreaterThanOrEqualTo(5);
        assertThat(jdbc.queryForList("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", String.class))
                .contains("sellers", "clients", "dids", "campaigns", "campaign_client_settings", "route_claims",
                        "call_logs", "recordings", "lead_lists", "leads", "dnc_numbers", "outbound_queue", "agents",
                        "asterisk_servers", "users", "cdr", "ps_endpoints", "ps_auths", "ps_aors",
                        "ps_endpoint_id_ips", "ps_domain_aliases", "batch_job_execution", "qrtz_triggers");
    }

    @Test
    void demoUserSignsInOverHttpBasic() {
        graphQl.as("seller1").document("{ me { username role sellerId } }").execute()
                .path("me.username").entity(String.class).isEqualTo("seller1")
                .path("me.role").entity(String.class).isEqualTo("SELLER")
                .path("me.sellerId").hasValue();
    }

    @Test
    void wrongPasswordIsRefused() {
        graphQl.client().build().post().header("Authorization", "Basic YWRtaW46d3Jvbmc=")
                .bodyValue("{\"query\":\"{ me { username } }\"}")
                .header("Content-Type", "application/json")
                .exchange().expectStatus().isUnauthorized();
    }

    @Test
    void anonymousRequestIsRefused() {
        graphQl.client().build().post().bodyValue("{\"query\":\"{ me { username } }\"}")
                .header("Content-Type", "application/json")
                .exchange().expectStatus().isUnauthorized();
    }
}
