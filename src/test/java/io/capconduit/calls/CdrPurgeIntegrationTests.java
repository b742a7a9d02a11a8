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
 * The nightly CDR purge deletes raw cdr rows (and their rejects) past the retention, in batches, but never a row the
 * reconciliation has yet to read, nor a row of a call that still has one: the call log is rebuilt from all of them.
 */
@IntegrationTest
class CdrPurgeIntegrationTests {

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
        prefix = "cdr-purge-" + UUID.randomUUID() + "-";
    }

    @AfterEach
    void noRowLeftForOtherTestsToReconcile() {
        jdbc.update("DELETE FROM cdr WHERE linkedid LIKE ? AND id > (" + CdrCheckpoint.READ + ")", prefix + "%");
    }

    @Test
    void cdrRowsPastTheRetentionGoInBatchesUnlessTheirCallIsStillToReconcile() throws Exception {
        Instant longAgo = Instant.now().minus(500, ChronoUnit.DAYS);
        leg("old", longAgo);
        leg("old", longAgo.plusSeconds(30));                     // a failover leg of the same call
        leg("recent", Instant.now().minus(10, ChronoUnit.DAYS));
        leg("across-the-cutoff", Instant.now().minus(400, ChronoUnit.DAYS).minusSeconds(30));
        leg("across-the-cutoff", Instant.now().minus(400, ChronoUnit.DAYS).plusSeconds(600));   // a later leg
        leg("old-with-a-late-leg", longAgo);
        long noStart = new CdrRows(named).leg(prefix + "rejected").set("start", null).insert();   // rejected
        reconcile();
        jdbc.update("UPDATE cdr_rejects SET rejected_at = now() - interval '500 days' WHERE cdr_id = ?", noStart);
        // reconciliation stopped for weeks: these rows wait past its checkpoint
        leg("old-not-yet-reconciled", longAgo);
        leg("old-with-a-late-leg", longAgo.plusSeconds(60));

        JobExecution run = launcher.run("cdrPurgeJob", Map.of("retentionDays", "400", "batchSize", "1"),
                Instant.now());

        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(remaining()).containsExactly("across-the-cutoff", "across-the-cutoff", "old-not-yet-reconciled",
                "old-with-a-late-leg", "old-with-a-late-leg", "recent");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cdr_rejects WHERE cdr_id = ?", Integer.class, noStart))
                .isZero();
        StepExecution step = run.getStepExecutions().iterator().next();
        assertThat(step.getWriteCount()).isGreaterThanOrEqualTo(3);
        assertThat(step.getCommitCount()).isGreaterThanOrEqualTo(3);        // a row of each kind per transaction
        assertThat(step.getExitStatus().getExitDescription()).contains("cdr rows").contains("cdr rejects");
        // the call log is the business record: it stays
        assertThat(jdbc.queryForObject("SELECT cdr_rows FROM call_logs WHERE linked_id = ?", Integer.class,
                prefix + "old")).isEqualTo(2);
    }

    /** A call's legs come when they end, up to a day after its start, and reconciliation may wait a day more. */
    @Test
    void aRetentionBelowThreeDaysIsRefused() {
        assertThatThrownBy(() -> launcher.run("cdrPurgeJob", Map.of("retentionDays", "2"), Instant.now()))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessage("retentionDays must be a whole number from 3 to 36500, not '2'");
    }

    /**
     * Two years of cdr rows at a few thousand calls a day, a year of them kept: the night's batches walk the start
     * index from the oldest row, and the rejects their own, rather than reading every row each night.
     */
    @Test
    void theNightsBatchesReadIndexesNotTheWholeTable() {
        ShadowTablePlans plans = new ShadowTablePlans(transactions, jdbc);
        List<String> fill = List.of("""
                INSERT INTO cdr (id, start, linkedid, uniqueid)
                SELECT g, timestamp '2025-01-01' + g * interval '5 minutes', 'pbx-' || g, 'pbx-' || g
                FROM generate_series(1, 200000) g""",
                "INSERT INTO cdr_rejects (cdr_id, reason, rejected_at) SELECT g * 100, 'NO_START', "
                        + "timestamptz '2025-01-01' + g * interval '8 hours' FROM generate_series(1, 2000) g");
        long checkpoint = 199_000;   // a thousand rows to reconcile

        String rows = plans.explain(List.of("cdr", "cdr_rejects"), fill,
                CdrPurgeJobConfiguration.PURGE_CDR, 400, checkpoint, checkpoint, 400, 10_000);
        String rejects = plans.explain(List.of("cdr", "cdr_rejects"), fill,
                CdrPurgeJobConfiguration.PURGE_REJECTS, 400, 10_000);

        assertThat(rows).containsPattern("Index Scan using \\w+ on cdr c [^\\n]*\\n\\s+Index Cond: \\(+start < ")
                .doesNotContain("Seq Scan");
        assertThat(rejects).containsPattern("Index Cond: \\(+rejected_at < ").doesNotContain("Seq Scan");
    }

    private void leg(String name, Instant start) {
        new CdrRows(named).leg(prefix + name).set("campaign", "Auto Insurance")
                .set("client", "Sunrise Insurance Call Center").set("did", "+18005550101")
                .times(start, null, start.plusSeconds(20)).insert();
    }

    private void reconcile() throws Exception {
        assertThat(launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "0"), Instant.now()).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);
    }

    private List<String> remaining() {
        return jdbc.queryForList("SELECT substr(linkedid, ?) FROM cdr WHERE linkedid LIKE ? ORDER BY 1",
                String.class, prefix.length() + 1, prefix + "%");
    }
}
