package io.capconduit.telephony;

import java.time.Duration;

import io.capconduit.support.Eventually;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Staff see each active Asterisk server's AMI connection in the health components; one that is down shows there
 * without taking the application's status or its probes down.
 */
@IntegrationTest
class AsteriskServersHealthIntegrationTests {

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AmiConnections ami;

    @Test
    void aConnectedServerShowsSinceWhenAndNeverItsSecret() throws Exception {
        try (ConnectedAsterisk asterisk = ConnectedAsterisk.start(jdbc, ami, null)) {
            String name = name(asterisk.serverId());
            get("staff", "/actuator/health").expectStatus().isOk().expectBody()
                    .jsonPath("$.components.asteriskServers.details['%s'].connected".formatted(name)).isEqualTo(true)
                    .jsonPath("$.components.asteriskServers.details['%s'].id".formatted(name)).isEqualTo(asterisk.serverId())
                    .jsonPath("$.components.asteriskServers.details['%s'].since".formatted(name)).isNotEmpty();
            assertThat(bodyOf("staff", "/actuator/health")).contains(name).doesNotContain("test-ami-secret");
        }
    }

    @Test
    void aServerDownIsDegradedWhileTheApplicationAndItsProbesStayUp() throws Exception {
        try (ConnectedAsterisk asterisk = ConnectedAsterisk.start(jdbc, ami, null)) {
            String name = name(asterisk.serverId());

            asterisk.asterisk().goDown();
            Eventually.await("the AMI connection seen lost", Duration.ofSeconds(10),
                    () -> !ami.isConnected(asterisk.serverId()));

            get("admin", "/actuator/health").expectStatus().isOk().expectBody()
                    .jsonPath("$.status").isEqualTo("UP")
                    .jsonPath("$.components.asteriskServers.status").isEqualTo("DEGRADED")
                    .jsonPath("$.components.asteriskServers.details['%s'].connected".formatted(name)).isEqualTo(false)
                    .jsonPath("$.components.asteriskServers.details['%s'].since".formatted(name)).isNotEmpty();
            WebTestClient anonymous = WebTestClient.bindToServer().baseUrl(graphQl.baseUrl()).build();
            anonymous.get().uri("/actuator/health").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("UP");
            for (String probe : new String[] { "/actuator/health/readiness", "/actuator/health/liveness" }) {
                get("admin", probe).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP")
                        .jsonPath("$.components.asteriskServers").doesNotExist();
            }
        }
    }

    private String name(long serverId) {
        return jdbc.queryForObject("SELECT name FROM asterisk_servers WHERE id = ?", String.class, serverId);
    }

    private String bodyOf(String username, String path) {
        return get(username, path).expectBody(String.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec get(String username, String path) {
        return WebTestClient.bindToServer().baseUrl(graphQl.baseUrl())
                .defaultHeaders(h -> h.setBasicAuth(username, "demo")).build().get().uri(path).exchange();
    }
}
