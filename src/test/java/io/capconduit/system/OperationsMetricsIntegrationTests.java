package io.capconduit.system;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Admins read open route claims, waiting hopper entries and agents by state as gauges of the database's rows. */
@IntegrationTest
class OperationsMetricsIntegrationTests {

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void gaugesCountTheRowsNow() {
        assertThat(gauge("capconduit.route.claims.open", ""))
                .isEqualTo(count("SELECT count(*) FROM route_claims WHERE released_at IS NULL"));
        assertThat(gauge("capconduit.hopper.waiting", ""))
                .isEqualTo(count("SELECT count(*) FROM outbound_queue WHERE status = 'QUEUED'"));
        long agent = (long) count("SELECT min(id) FROM agents WHERE active AND state <> 'PAUSED'");
        String state = jdbc.queryForObject("SELECT state FROM agents WHERE id = ?", String.class, agent);
        double paused = gauge("capconduit.agents", "?tag=state:PAUSED");
        try {
            jdbc.update("UPDATE agents SET state = 'PAUSED' WHERE id = ?", agent);

            assertThat(gauge("capconduit.agents", "?tag=state:PAUSED")).isEqualTo(paused + 1);
        }
        finally {
            jdbc.update("UPDATE agents SET state = ? WHERE id = ?", state, agent);
        }
    }

    @Test
    void onlyAdminsReadThem() {
        WebTestClient.bindToServer().baseUrl(graphQl.baseUrl())
                .defaultHeaders(h -> h.setBasicAuth("staff", "demo")).build().get()
                .uri("/actuator/metrics/capconduit.agents").exchange().expectStatus().isForbidden();
    }

    private double gauge(String name, String query) {
        String body = WebTestClient.bindToServer().baseUrl(graphQl.baseUrl())
                .defaultHeaders(h -> h.setBasicAuth("admin", "demo")).build().get()
                .uri("/actuator/metrics/" + name + query).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return JsonPath.parse(body).read("$.measurements[0].value", Double.class);
    }

    private double count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }
}
