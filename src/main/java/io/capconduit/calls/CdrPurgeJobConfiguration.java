package io.capconduit.calls;

import io.capconduit.jobs.TaskletJobs;
import io.capconduit.jobs.WholeNumberParameters;

import java.sql.ResultSet;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Deletes raw cdr rows that started longer ago than {@code retentionDays} (default 400), and the cdr_rejects (with
 * their cdr rows) recorded longer ago, {@code batchSize} rows (default 10,000) of each per transaction
 * (batch-jobs/cdrPurgeJob.yml, nightly). Asterisk writes about 1.3 rows per call, each under eight indexes; the call
 * log built from them is the business record and stays. A row is kept while its call still has a row past the
 * reconciliation's checkpoint, however old, and a call goes whole (a leg that started after the cutoff keeps the
 * others): the reconciler rebuilds a call log from all of its call's rows, and a re-read from the first id too. Small
 * batches because each holds cdr's ROW EXCLUSIVE lock, which the reconciler's brief SHARE lock waits for, and
 * Asterisk's inserts behind it. The retention is at least {@link #MIN_RETENTION_DAYS} days: a call's legs come when
 * they end, up to a day after it started, and reconciliation may hold them back a day more.
 */
@Configuration(proxyBeanMethods = false)
class CdrPurgeJobConfiguration {

    static final int MIN_RETENTION_DAYS = 3;

    /** Checked when the job is launched (the job's validator). */
    static final WholeNumberParameters PARAMETERS = new WholeNumberParameters()
            .with("retentionDays", 400, MIN_RETENTION_DAYS, 36_500)
            .with("batchSize", 10_000, 1, 1_000_000);

    /**
     * Oldest first along cdr_start_idx, so a night's work reads only what it deletes (cdr.start is UTC). The ids go
     * through an array: {@code id IN (SELECT ... LIMIT n)} lets the planner hash the ids and read all of cdr for them.
     * The checkpoint is a parameter, read first: an unknown one makes the planner guess that a third of cdr is
     * reconciled and walk the primary key to the checkpoint.
     */
    static final String PURGE_CDR = """
            DELETE FROM cdr WHERE id = ANY (ARRAY(
                SELECT c.id FROM cdr c
                WHERE c.start < (now() AT TIME ZONE 'UTC') - make_interval(days => ?) AND c.id <= ?
                  AND NOT EXISTS (SELECT 1 FROM cdr n WHERE n.linkedid = c.linkedid
                                    AND (n.id > ? OR n.start >= (now() AT TIME ZONE 'UTC') - make_interval(days => ?)))
                ORDER BY c.start, c.id LIMIT ?))""";

    /** Rejects oldest first (cdr_rejects_rejected_at_idx); a row without a start never ages in PURGE_CDR. */
    static final String PURGE_REJECTS = """
            DELETE FROM cdr_rejects WHERE cdr_id = ANY (ARRAY(
                SELECT cdr_id FROM cdr_rejects WHERE rejected_at < now() - make_interval(days => ?)
                ORDER BY rejected_at LIMIT ?))
            RETURNING cdr_id""";

    /** The rows of the rejects deleted (a rejected row is one the reconciliation has read). */
    static final String PURGE_REJECTED_ROWS = "DELETE FROM cdr WHERE id = ANY (?) AND id <= ?";

    private static final String REJECTS_DELETED = "cdrRejectsDeleted";

    @Bean
    Job cdrPurgeJob(JobRepository jobRepository, Step cdrPurgeStep) {
        return TaskletJobs.job("cdrPurgeJob", jobRepository, PARAMETERS, cdrPurgeStep);
    }

    @Bean
    Step cdrPurgeStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, JdbcTemplate jdbc) {
        return TaskletJobs.step("cdrPurgeStep", jobRepository, transactionManager, PARAMETERS,
                (contribution, parameter) -> {
                    int retentionDays = parameter.applyAsInt("retentionDays");
                    int batchSize = parameter.applyAsInt("batchSize");
                    Long checkpoint = jdbc.query(CdrCheckpoint.READ,
                            (ResultSet row) -> row.next() ? row.getLong(1) : null);
                    if (checkpoint == null) {
                        return RepeatStatus.FINISHED;                  // never reconciled: every row is still to read
                    }
                    Long[] rejected = jdbc.queryForList(PURGE_REJECTS, Long.class, retentionDays, batchSize)
                            .toArray(Long[]::new);
                    int rejects = rejected.length;
                    int aged = jdbc.update(PURGE_CDR, retentionDays, checkpoint, checkpoint, retentionDays, batchSize);
                    int rows = aged + jdbc.update(PURGE_REJECTED_ROWS, rejected, checkpoint);
                    contribution.incrementWriteCount(rows);
                    ExecutionContext context = contribution.getStepExecution().getExecutionContext();
                    context.putLong(REJECTS_DELETED, context.getLong(REJECTS_DELETED, 0) + rejects);
                    if (aged == batchSize || rejects == batchSize) {
                        return RepeatStatus.CONTINUABLE;
                    }
                    contribution.setExitStatus(ExitStatus.COMPLETED.addExitDescription("Deleted "
                            + (contribution.getStepExecution().getWriteCount() + rows) + " cdr rows and "
                            + context.getLong(REJECTS_DELETED) + " cdr rejects older than " + retentionDays + " days"));
                    return RepeatStatus.FINISHED;
                });
    }
}
