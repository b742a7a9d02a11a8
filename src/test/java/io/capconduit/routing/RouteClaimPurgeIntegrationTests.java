package io.capconduit.routing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.capconduit.jobs.BatchJobLauncher;
import io.capconduit.support.IntegrationTest;
import io.capconduit.support.ShadowTablePlans;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The nightly purge deletes released history past the retention, in batches, and never an open claim. */
@IntegrationTest
class RouteClaimPurgeIntegrationTests {

    @Autowired
    BatchJobLauncher launcher;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    String prefix;
    long setting;

    @BeforeEach
    void claimsOfEveryAge() {
        prefix = "purge-" + UUID.randomUUID() + "-";
        setting = jdbc.queryForObject("SELECT min(id) FROM campaign_client_settings", Long.class);
        claim("released-long-ago", "RELEASED", "40 days", "40 days");
        claim("answered-long-ago", "ANSWERED", "41 days", "40 days");
        claim("released-lately", "RELEASED", "10 days", "10 days");
        claim("still-open", "CLAIMED", "40 days", null);   // a call whose release never came
    }

    @Test
    void releasedClaimsPastTheRetentionGoInBatchesOpenOnesStay() throws Exception {
        JobExecution run = launcher.run("routeClaimPurgeJob", Map.of("retentionDays", "35", "batchSize", "1"),
                Instant.now());

        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(remaining()).containsExactly("released-lately", "still-open");
        StepExecution step = run.getStepExecutions().iterator().next();
        assertThat(step.getWriteCount()).isGreaterThanOrEqualTo(2);
        assertThat(step.getCommitCount()).isEqualTo(step.getWriteCount() + 1);   // one row per transaction
    }

    /**
     * A shorter retention never takes an answered claim a MONTH cap window may still hold: the recount after a change
     * of cap period or time zone reads them (the current month began up to 31 days and an hour ago).
     */
    @Test
    void aShortRetentionKeepsTheAnswersOfTheLongestCapWindow() throws Exception {
        claim("answered-a-month-ago", "ANSWERED", "31 days 1 hour", "31 days 1 hour");
        claim("unanswered-a-month-ago", "RELEASED", "31 days 1 hour", "31 days 1 hour");

        JobExecution run = launcher.run("routeClaimPurgeJob", Map.of("retentionDays", "7"), Instant.now());

        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(remaining()).containsExactly("answered-a-month-ago", "still-open");
    }

    @Test
    void aRetentionBelowOneDayIsRefusedAndDeletesNothing() throws Exception {
        assertThatThrownBy(() -> launcher.run("routeClaimPurgeJob", Map.of("retentionDays", "0"), Instant.now()))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessage("retentionDays must be a whole number from 1 to 36500, not '0'");
        assertThat(remaining()).hasSize(4);
    }

    /**
     * 38 days of claims (300,000, a few still open), 35 of them kept: a batch walks the released_at index from the
     * oldest release rather than reading the whole table, or its primary key to the end on the night's last batch.
     */
    @Test
    void aBatchReadsTheReleasedAtIndexNotTheWholeTable() {
        List<String> fill = List.of("""
                INSERT INTO route_claims (call_uid, setting_id, status, claimed_at, answered_at, released_at)
                SELECT 'plan-' || g, 1 + g % 50, CASE WHEN g % 1000 = 0 THEN 'CLAIMED' ELSE 'RELEASED' END, t, NULL,
                       CASE WHEN g % 1000 <> 0 THEN t + interval '1 minute' END
                FROM generate_series(1, 300000) g, LATERAL (SELECT now() - g * interval '11 seconds') x(t)""");

        String plan = new ShadowTablePlans(transactions, jdbc).explain(List.of("route_claims"), fill,
                RouteClaimPurgeJobConfiguration.PURGE, 35, RouteClaimPurgeJobConfiguration.RECOUNT_DAYS, 50_000);

        assertThat(plan)
                .containsPattern("Index Scan using \\w+ on route_claims\\s.*\\n.*Index Cond: \\(released_at <")
                .doesNotContain("Seq Scan on route_claims");
    }

    private void claim(String name, String status, String claimedAgo, String releasedAgo) {
        jdbc.update("INSERT INTO route_claims (call_uid, setting_id, status, claimed_at, answered_at, released_at, "
                + "release_reason) VALUES (?, ?, ?, now() - ?::interval, CASE WHEN ? = 'ANSWERED' "
                + "THEN now() - ?::interval END, now() - ?::interval, CASE WHEN ?::text IS NOT NULL THEN 'HANGUP' END)",
                prefix + name, setting, status, claimedAgo, status, claimedAgo, releasedAgo, releasedAgo);
    }

    private List<String> remaining() {
        return jdbc.queryForList("SELECT substr(call_uid, ?) FROM route_claims WHERE call_uid LIKE ? ORDER BY 1",
                String.class, prefix.length() + 1, prefix + "%");
    }
}
