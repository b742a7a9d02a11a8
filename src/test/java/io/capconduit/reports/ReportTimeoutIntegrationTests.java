package io.capconduit.reports;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import javax.sql.DataSource;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.HeldTableLocks;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.capconduit.support.GraphQlErrors.classified;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reports share the database live calls are routed with: one that runs past capconduit.reports.statement-timeout
 * (3s in tests; here it waits behind a held table lock) is stopped and the caller told to narrow it.
 */
@IntegrationTest
class ReportTimeoutIntegrationTests {

    /** Longer than the statement timeout by far: without it the report waits for the lock and this runs out. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aReportPastTheStatementTimeoutIsABadRequestSayingToNarrowIt() throws Exception {
        try (HeldTableLocks held = HeldTableLocks.take(dataSource, "call_logs", "call_stats_hourly")) {
            graphQl.as("staff").documentName("report").variable("from", "2026-01-01").variable("to", "2026-12-31")
                    .variable("by", "DID").execute()
                    .errors().expect(classified("BAD_REQUEST").and(error -> error.getMessage()
                            .contains("longer than its limit of 3s (capconduit.reports.statement-timeout)")
                            && error.getMessage().contains("narrow it")
                            && error.getExtensions().get("timeoutMillis") instanceof Number limit && limit.longValue() == 3000))
                    .verify();
        }
        assertThat(jdbc.queryForObject("SELECT current_setting('statement_timeout')", String.class)).isEqualTo("0");
    }

    @Test
    void capUsagePastTheStatementTimeoutIsABadRequest() throws Exception {
        try (HeldTableLocks held = HeldTableLocks.take(dataSource, "campaign_client_settings")) {
            graphQl.as("staff").document("{ capUsage { settingId } }").execute()
                    .errors().expect(classified("BAD_REQUEST").and(error -> error.getMessage().contains("narrow it")))
                    .verify();
        }
    }

    @Test
    void aReportExportPastTheStatementTimeoutIsA400SayingToNarrowIt() throws Exception {
        HttpResponse<String> response;
        try (HeldTableLocks held = HeldTableLocks.take(dataSource, "call_logs", "call_stats_hourly")) {
            response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(graphQl.baseUrl()
                    + "/api/reports/export.xlsx?from=2026-01-01&to=2026-12-31&by=DID"))
                    .header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString("staff:demo".getBytes(StandardCharsets.UTF_8)))
                    .timeout(PATIENCE).build(), HttpResponse.BodyHandlers.ofString());
        }
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).contains("longer than its limit of 3s").contains("narrow it")
                .contains("\"timeoutMillis\":3000");
    }
}
