package io.capconduit.dialer;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The nightly purge deletes finished dialer attempts past the retention, in batches; never an entry still queued or
 * dialing, nor one whose call still has a CDR row to reconcile (a late answer corrects it), and the lead keeps its
 * attempts and outcome.
 */
@IntegrationTest
class OutboundQueuePurgeIntegrationTests {

    @Autowired
    BatchJobLauncher launcher;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    OutboundFixture outbound;

    @BeforeEach
    void campaign() {
        outbound = OutboundFixture.create(jdbc, "America/New_York", null);
    }

    @AfterEach
    void noRowLeftForOtherTestsToReconcile() {
        jdbc.update("DELETE FROM cdr WHERE linkedid LIKE ?", "oq-purge-" + outbound.campaignId() + "-%");
    }

    @Test
    void finishedAttemptsPastTheRetentionGoInBatchesTheRestStays() throws Exception {
        entry("DONE", "ANSWERED", "40 days");
        entry("DONE", "BUSY", "100 days");
        entry("DONE", "NO_ANSWER", "20 days");
        entry("QUEUED", null, "100 days");
        entry("DIALING", null, "40 days");
        long lateCdr = entry("DONE", "NO_ANSWER", "40 days");
        jdbc.update("INSERT INTO cdr (linkedid, uniqueid, start, disposition) SELECT channel_id, channel_id, now(), "
                + "'ANSWERED' FROM outbound_queue WHERE id = ?", lateCdr);   // past the reconciliation's checkpoint

        JobExecution run = launcher.run("outboundQueuePurgeJob", Map.of("retentionDays", "35", "batchSize", "1"),
                Instant.now());

        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(remaining()).containsExactly("DIALING", "DONE NO_ANSWER", "DONE NO_ANSWER", "QUEUED");
        StepExecution step = run.getStepExecutions().iterator().next();
        assertThat(step.getWriteCount()).isGreaterThanOrEqualTo(2);
        assertThat(step.getCommitCount()).isEqualTo(step.getWriteCount() + 1);   // one row per transaction
        // the leads keep their attempts (and outcomes): only the attempts' queue entries went
        assertThat(jdbc.queryForObject("SELECT count(*) FROM leads WHERE list_id = ? AND attempts = 1",
                Integer.class, outbound.listId())).isEqualTo(6);
    }

    /** The dialer's abandoned-call rate reads the last 30 days of finished attempts. */
    @Test
    void aRetentionBelowThirtyOneDaysIsRefused() {
        assertThatThrownBy(() -> launcher.run("outboundQueuePurgeJob", Map.of("retentionDays", "30"), Instant.now()))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessage("retentionDays must be a whole number from 31 to 36500, not '30'");
    }

    /**
     * Two hundred days of a busy campaign's attempts (300,000), 90 of them kept: a batch walks the finished-entries
     * index of each campaign from its oldest, and probes cdr by linked id, rather than reading the whole queue.
     */
    @Test
    void aBatchReadsIndexesNotTheWholeQueue() {
        ShadowTablePlans plans = new ShadowTablePlans(transactions, jdbc);
        List<String> fill = List.of("""
                INSERT INTO outbound_queue (id, campaign_id, lead_id, status, queued_at, dialing_at, done_at, outcome,
                                            channel_id)
                SELECT g, (SELECT min(id) FROM campaigns), g, 'DONE', t, t, t, 'NO_ANSWER', 'dialer-' || g
                FROM generate_series(1, 300000) g, LATERAL (SELECT now() - g * interval '1 minute') x(t)""",
                "INSERT INTO cdr (id, linkedid, uniqueid) SELECT g, 'dialer-' || g, 'dialer-' || g "
                        + "FROM generate_series(1, 300000) g");

        String plan = plans.explain(List.of("outbound_queue", "cdr"), fill, OutboundQueuePurgeJobConfiguration.PURGE,
                90, 299_000, 10_000, 10_000);

        assertThat(plan).containsPattern("Index (Only )?Scan using \\w+ on outbound_queue q")
                .doesNotContain("Seq Scan on outbound_queue").doesNotContain("Seq Scan on cdr");   // campaigns: a few
    }

    private long entry(String status, String outcome, String ago) {
        long lead = outbound.lead(OutboundFixture.phone(), "America/New_York");
        jdbc.update("UPDATE leads SET attempts = 1 WHERE id = ?", lead);
        return jdbc.queryForObject("""
                INSERT INTO outbound_queue (campaign_id, lead_id, status, queued_at, dialing_at, done_at, outcome,
                                            channel_id)
                VALUES (?, ?, ?, now() - ?::interval, CASE WHEN ? <> 'QUEUED' THEN now() - ?::interval END,
                        CASE WHEN ? = 'DONE' THEN now() - ?::interval END, ?, 'oq-purge-' || ? || '-' || ?)
                RETURNING id""", Long.class, outbound.campaignId(), lead, status, ago, status, ago, status, ago,
                outcome, outbound.campaignId(), lead);
    }

    private List<String> remaining() {
        return jdbc.queryForList("SELECT status || coalesce(' ' || outcome, '') FROM outbound_queue "
                + "WHERE campaign_id = ? ORDER BY 1", String.class, outbound.campaignId());
    }
}
