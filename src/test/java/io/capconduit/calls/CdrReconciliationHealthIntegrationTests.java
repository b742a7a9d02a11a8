package io.capconduit.calls;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Staff see how many CDR rows wait for reconciliation and for how long; a stuck reconciler shows as DEGRADED. */
@IntegrationTest
class CdrReconciliationHealthIntegrationTests {

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CdrReconciliationMapper mapper;

    private final String linkedId = "health-" + UUID.randomUUID();

    @AfterEach
    void removeRow() {
        jdbc.update("DELETE FROM cdr WHERE linkedid = ?", linkedId);
    }

    @Test
    void aRowWaitingAnHourIsDegradedWhileTheApplicationStaysUp() {
        long before = unreconciledRows();

        waitingRow("1 hour");

        get("staff").expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.cdrReconciliation.status").isEqualTo("DEGRADED")
                .jsonPath("$.components.cdrReconciliation.details.unreconciledRows").isEqualTo((int) before + 1)
                .jsonPath("$.components.cdrReconciliation.details.oldestUnreconciledAgeSeconds")
                .value(Number.class, age -> assertThat(age.longValue()).isGreaterThanOrEqualTo(3600));
        WebTestClient.bindToServer().baseUrl(graphQl.baseUrl()).build().get().uri("/actuator/health").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components").doesNotExist();
        get("staff", "/actuator/health/readiness").expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("UP").jsonPath("$.components.cdrReconciliation").doesNotExist();
    }

    @Test
    void oneReadingAnswersForTheCachePeriod() {
        CdrReconciliationHealthIndicator cached = indicator(Duration.ofHours(1));
        Health first = cached.health();

        waitingRow("2 days");

        assertThat(cached.health().getDetails()).isEqualTo(first.getDetails());
        Health fresh = indicator(Duration.ZERO).health();
        assertThat(fresh.getStatus()).isEqualTo(CdrReconciliationHealthIndicator.DEGRADED);
        assertThat(fresh.getDetails()).containsEntry("unreconciledRows",
                (Long) first.getDetails().get("unreconciledRows") + 1);
    }

    @Test
    void theCountStopsAtItsLimit() {
        waitingRow("1 minute");
        CdrReconciliationHealthIndicator limited = new CdrReconciliationHealthIndicator(mapper,
                new CdrReconciliationHealthProperties(Duration.ofMinutes(10), Duration.ZERO, 1));

        Map<String, Object> details = limited.health().getDetails();

        assertThat(details).containsEntry("unreconciledRows", 1L).containsEntry("atLeast", true);
    }

    private CdrReconciliationHealthIndicator indicator(Duration cacheFor) {
        return new CdrReconciliationHealthIndicator(mapper,
                new CdrReconciliationHealthProperties(Duration.ofDays(1), cacheFor, 100_000));
    }

    private long unreconciledRows() {
        return indicator(Duration.ZERO).health().getDetails().get("unreconciledRows") instanceof Long rows ? rows : -1;
    }

    /** An unanswered inbound cdr row written {@code ago} (a PostgreSQL interval) and not reconciled since. */
    private void waitingRow(String ago) {
        jdbc.update("""
                INSERT INTO cdr (src, dst, start, answer, "end", duration, billsec, disposition, uniqueid, linkedid,
                                 direction, inserted_at)
                VALUES ('+12125550100', '+18005550101', now() AT TIME ZONE 'UTC' - ?::interval, '1970-01-01',
                        now() AT TIME ZONE 'UTC' - ?::interval, 0, 0, 'NO ANSWER', ?, ?, 'INBOUND', now() - ?::interval)""",
                ago, ago, linkedId, linkedId, ago);
    }

    private WebTestClient.ResponseSpec get(String username) {
        return get(username, "/actuator/health");
    }

    private WebTestClient.ResponseSpec get(String username, String path) {
        return WebTestClient.bindToServer().baseUrl(graphQl.baseUrl())
                .defaultHeaders(h -> h.setBasicAuth(username, "demo")).build().get().uri(path).exchange();
    }
}
