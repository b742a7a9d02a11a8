package io.capconduit.reports;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.sql.DataSource;

import io.capconduit.accounts.AuthenticatedUser;
import io.capconduit.calls.CallLogFilter;
import io.capconduit.system.QueryTimedOutException;
import io.capconduit.system.TimedReads;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.HeldTableLocks;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static io.capconduit.support.GraphQlErrors.classified;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Autowired
    CallReports reports;

    @Autowired
    CallReportMapper mapper;

    @Autowired
    TimedReads timed;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    UserDetailsService users;

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

    /** A call-log export streams a month of rows: its own, longer export-statement-timeout, and the same refusal. */
    @Test
    void aCallLogExportPastItsStatementTimeoutSaysSo() throws Exception {
        CallReportService oneSecond = new CallReportService(reports, mapper, new ReportsProperties(Path.of("reports"),
                100, 31, Duration.ofSeconds(1), Duration.ofMinutes(5)), timed);
        AuthenticatedUser staff = (AuthenticatedUser) users.loadUserByUsername("staff");
        CallLogFilter march = new CallLogFilter(Instant.parse("2026-03-01T00:00:00Z"),
                Instant.parse("2026-03-31T00:00:00Z"), null, null, null, null);

        try (HeldTableLocks held = HeldTableLocks.take(dataSource, "call_logs")) {
            // the transaction the service's proxy would open
            assertThatThrownBy(() -> new TransactionTemplate(transactions).executeWithoutResult(
                    status -> oneSecond.streamCallLogs(march, staff, line -> { })))
                    .isInstanceOf(QueryTimedOutException.class)
                    .hasMessageContaining("longer than its limit of 1s (capconduit.reports.export-statement-timeout)")
                    .hasMessageContaining("narrow it");
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
