package io.capconduit.calls;

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
 * Deletes click-to-calls placed longer ago than {@code retentionDays} (default 35), {@code batchSize} rows (default
 * 50,000) per transaction (batch-jobs/clickToCallPurgeJob.yml, nightly). Only CDR reconciliation reads them, to name
 * a call's number, agent and campaign when it builds or rebuilds the call's log; what it took stays in the call log.
 * A row is kept while a cdr row of its call waits past the reconciliation's checkpoint, however old (reconciliation
 * stopped for weeks). The retention is at least {@link #MIN_RETENTION_DAYS} days: a call's CDR rows come when its legs
 * end, each within a day of its start (a longer leg is rejected), and reconciliation may hold a row back for its
 * grace, up to a day more.
 */
@Configuration(proxyBeanMethods = false)
class ClickToCallPurgeJobConfiguration {

    static final int MIN_RETENTION_DAYS = 2;

    /** Checked when the job is launched (the job's validator). */
    static final WholeNumberParameters PARAMETERS = new WholeNumberParameters()
            .with("retentionDays", 35, MIN_RETENTION_DAYS, 36_500)
            .with("batchSize", 50_000, 1, 10_000_000);

    @Bean
    Job clickToCallPurgeJob(JobRepository jobRepository, Step clickToCallPurgeStep) {
        return TaskletJobs.job("clickToCallPurgeJob", jobRepository, PARAMETERS, clickToCallPurgeStep);
    }

    @Bean
    Step clickToCallPurgeStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JdbcTemplate jdbc) {
        return TaskletJobs.purgeStep("clickToCallPurgeStep", jobRepository, transactionManager, PARAMETERS,
                // cdr rows past the committed checkpoint are still to be read (or being read now): their calls' rows
                // stay. Compared in cdr's collation, so each probe reads cdr_linkedid_idx.
                (parameter, batchSize) -> jdbc.update("""
                            DELETE FROM click_to_calls WHERE channel_id = ANY (ARRAY(
                                SELECT t.channel_id FROM click_to_calls t
                                WHERE t.placed_at < now() - make_interval(days => ?)
                                  AND NOT EXISTS (SELECT 1 FROM cdr c WHERE c.linkedid = t.channel_id COLLATE "default"
                                                    AND c.id > (%s))
                                ORDER BY t.placed_at LIMIT ?))""".formatted(CdrCheckpoint.READ),
                            parameter.applyAsInt("retentionDays"), batchSize));
    }
}
