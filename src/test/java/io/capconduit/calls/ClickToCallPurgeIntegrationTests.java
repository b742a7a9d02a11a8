package io.capconduit.calls;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.capconduit.jobs.BatchJobLauncher;
import io.capconduit.support.IntegrationTest;
import io.capconduit.support.ShadowTablePlans;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The nightly purge deletes click-to-calls past the retention, in batches, but never one whose CDR rows the
 * reconciliation has yet to read: it names the call's number, agent and campaign from that row.
 */
@IntegrationTest
class ClickToCallPurgeIntegrationTests {

    @Autowired
    BatchJobLauncher launcher;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    NamedParameterJdbcTemplate named;

    @Autowired
    PlatformTransactionManager transactions;

    String prefix;

    @BeforeEach
    void unique() {
        prefix = "ctc-purge-" + UUID.randomUUID() + "-";
    }

    @AfterEach
    void noRowLeftForOtherTestsToReconcile() {
        jdbc.update("DELETE FROM cdr WHERE linkedid LIKE ? AND id > (" + CdrCheckpoint.READ + ")", prefix + "%");
    }

    @Test
    void clickToCallsPastTheRetentionGoInBatchesUnlessTheirCdrIsStillToReconcile() throws Exception {
        Instant longAgo = Instant.now().minus(40, ChronoUnit.DAYS);
        placed("reconciled", "40 days", "+15125550701");
        cdrRow("reconciled", longAgo);
        placed("agent-never-answered", "40 days", "+15125550702");   // no CDR at all (cdr.conf unanswered=no)
        placed("lately", "10 days", "+15125550703");
        assertThat(launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "0"), Instant.now()).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);
        // reconciliation stopped for weeks: this row waits past its checkpoint
        placed("not-yet-reconciled", "40 days", "+15125550704");
        cdrRow("not-yet-reconciled", longAgo);

        JobExecution run = launcher.run("clickToCallPurgeJob", Map.of("retentionDays", "35", "batchSize", "1"),
                Instant.now());

        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(remaining()).containsExactly("lately", "not-yet-reconciled");
        StepExecution step = run.getStepExecutions().iterator().next();
        assertThat(step.getWriteCount()).isGreaterThanOrEqualTo(2);
        assertThat(step.getCommitCount()).isEqualTo(step.getWriteCount() + 1);   // one row per transaction
        // what reconciliation took from the purged row stays in the call log
        assertThat(jdbc.queryForObject("SELECT destination FROM call_logs WHERE linked_id = ?", String.class,
                prefix + "reconciled")).isEqualTo("+15125550701");
    }

    /** A click-to-call's CDR comes when it ends, up to a day later, and reconciliation may wait a day more. */
    @Test
    void aRetentionBelowTwoDaysIsRefusedAndDeletesNothing() {
        placed("three-days", "3 days", "+15125550705");

        assertThatThrownBy(() -> launcher.run("clickToCallPurgeJob", Map.of("retentionDays", "1"), Instant.now()))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessage("retentionDays must be a whole number from 2 to 36500, not '1'");
        assertThat(remaining()).containsExactly("three-days");
    }

    /**
     * 38 days of click-to-calls (300,000), 35 days of them kept: a batch walks the placed_at index from the oldest row
     * rather than reading and sorting the whole table.
     */
    @Test
    void aBatchReadsThePlacedAtIndexNotTheWholeTable() {
        List<String> fill = List.of("""
                INSERT INTO click_to_calls (channel_id, agent_id, campaign_id, number, placed_at)
                SELECT 'ctc-plan-' || g, 1, 1, '+15125550700', now() - g * interval '11 seconds'
                FROM generate_series(1, 300000) g""");

        String plan = new ShadowTablePlans(transactions, jdbc).explain(List.of("click_to_calls"), fill,
                ClickToCallPurgeJobConfiguration.PURGE, 35, 50_000);

        assertThat(plan)
                .containsPattern("Index Scan using \\w+ on click_to_calls t\\s.*\\n.*Index Cond: \\(placed_at <")
                .doesNotContain("Seq Scan on click_to_calls");
    }

    private void placed(String name, String ago, String number) {
        jdbc.update("INSERT INTO click_to_calls (channel_id, agent_id, campaign_id, number, placed_at) "
                + "SELECT ?, a.id, c.id, ?, now() - ?::interval FROM agents a, campaigns c "
                + "WHERE c.name = 'Solar Callbacks' ORDER BY a.id LIMIT 1", prefix + name, number, ago);
    }

    /** The agent's channel's row when the agent did not answer (its dialplan never ran). */
    private void cdrRow(String name, Instant start) {
        new CdrRows(named).leg(prefix + name).set("direction", null).set("dst", "s")
                .times(start, null, start.plusSeconds(30)).insert();
    }

    private List<String> remaining() {
        return jdbc.queryForList("SELECT substr(channel_id, ?) FROM click_to_calls WHERE channel_id LIKE ? ORDER BY 1",
                String.class, prefix.length() + 1, prefix + "%");
    }
}
