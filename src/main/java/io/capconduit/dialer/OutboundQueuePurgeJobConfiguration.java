package io.capconduit.dialer;

import java.sql.ResultSet;

import io.capconduit.calls.CdrCheckpoint;
import io.capconduit.jobs.TaskletJobs;
import io.capconduit.jobs.WholeNumberParameters;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Deletes outbound queue entries that finished ({@code DONE}) longer ago than {@code retentionDays} (default 90),
 * {@code batchSize} rows (default 10,000) per transaction (batch-jobs/outboundQueuePurgeJob.yml, nightly). Every
 * dialer attempt leaves one; the lead keeps its attempts, last attempt and outcome, and the call log what the call
 * was. Entries still queued or dialing are never touched, nor one whose call has a cdr row past the reconciliation's
 * checkpoint (a late answer corrects it). The retention is at least {@link #MIN_RETENTION_DAYS} days: the dialer's
 * abandoned-call rate counts the last 30 days of them.
 */
@Configuration(proxyBeanMethods = false)
class OutboundQueuePurgeJobConfiguration {

    static final int MIN_RETENTION_DAYS = 31;

    /** Checked when the job is launched (the job's validator). */
    static final WholeNumberParameters PARAMETERS = new WholeNumberParameters()
            .with("retentionDays", 90, MIN_RETENTION_DAYS, 36_500)
            .with("batchSize", 10_000, 1, 1_000_000);

    /**
     * Oldest first per campaign, along outbound_queue_done_idx (campaign, done_at); each call's cdr rows are probed by
     * cdr_linkedid_idx, in cdr's collation. The ids go through an array: IN (SELECT ... LIMIT n) is planned as a hash
     * of them over the whole queue.
     */
    static final String PURGE = """
            DELETE FROM outbound_queue WHERE id = ANY (ARRAY(
                SELECT d.id FROM campaigns c CROSS JOIN LATERAL (
                    SELECT q.id FROM outbound_queue q
                    WHERE q.campaign_id = c.id AND q.status = 'DONE'
                      AND q.done_at < now() - make_interval(days => ?)
                      AND NOT EXISTS (SELECT 1 FROM cdr x WHERE x.linkedid = q.channel_id COLLATE "C" AND x.id > ?)
                    ORDER BY q.done_at LIMIT ?) d
                LIMIT ?))""";

    @Bean
    Job outboundQueuePurgeJob(JobRepository jobRepository, Step outboundQueuePurgeStep) {
        return TaskletJobs.job("outboundQueuePurgeJob", jobRepository, PARAMETERS, outboundQueuePurgeStep);
    }

    @Bean
    Step outboundQueuePurgeStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JdbcTemplate jdbc) {
        return TaskletJobs.purgeStep("outboundQueuePurgeStep", jobRepository, transactionManager, PARAMETERS,
                (parameter, batchSize) -> {
                    // never reconciled: every cdr row is still to read
                    long checkpoint = jdbc.query(CdrCheckpoint.READ, (ResultSet row) -> row.next() ? row.getLong(1) : 0L);
                    return jdbc.update(PURGE, parameter.applyAsInt("retentionDays"), checkpoint, batchSize, batchSize);
                });
    }
}
