package io.capconduit.accounts;

import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The actuator describes the whole platform: health for anyone, its details for staff, the rest for admins. */
@IntegrationTest
class ActuatorAccessIntegrationTests {

    @Autowired
    GraphQlTesters graphQl;

    @Test
    void aSellerGetsNoMetricsAndNoHealthDetails() {
        get("seller1", "/actuator/metrics").expectStatus().isForbidden();
        get("seller1", "/actuator/metrics/http.server.requests").expectStatus().isForbidden();
        get("seller1", "/actuator/info").expectStatus().isForbidden();
        get("seller1", "/actuator/health").expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP").jsonPath("$.components").doesNotExist();
    }

    @Test
    void staffSeeHealthDetailsAndOnlyAdminsTheRest() {
        get("staff", "/actuator/health").expectStatus().isOk().expectBody().jsonPath("$.components.db").exists();
        get("staff", "/actuator/metrics").expectStatus().isForbidden();
        get("admin", "/actuator/health").expectStatus().isOk().expectBody().jsonPath("$.components.db").exists();
        get("admin", "/actuator/metrics").expectStatus().isOk().expectBody().jsonPath("$.names").isNotEmpty();
    }

    @Test
    void anyoneMayAskWhetherItIsUp() {
        WebTestClient.bindToServer().baseUrl(graphQl.baseUrl()).build().get().uri("/actuator/health").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components").doesNotExist();
    }

    private WebTestClient.ResponseSpec get(String username, String path) {
        return WebTestClient.bindToServer().baseUrl(graphQl.baseUrl())
                .defaultHeaders(h -> h.setBasicAuth(username, "demo")).build().get().uri(path).exchange();
    }
}
