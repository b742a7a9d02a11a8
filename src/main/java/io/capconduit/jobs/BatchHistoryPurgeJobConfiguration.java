package io.capconduit.jobs;

import java.util.List;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Deletes Spring Batch's record of job executions that ended more than {@code retentionDays} ago (default 30),
 * {@code batchSize} executions (default 5,000) per transaction (batch-jobs/batchHistoryPurgeJob.yml, nightly). The
 * scheduled jobs run every 30 s or every minute, about 8,000 executions a day, each with its steps, parameters and
 * contexts: without this the job repository grows by millions of rows a year and the jobs API pages through them.
 * Kept: executions still running, and lead and DNC imports, whose executions are the import history users open
 * (progress, rejects). An ended execution older than the retention can no longer be restarted. First, executions
 * a shutdown or crash left reading as running are marked FAILED ({@link LeftRunningExecutions}), so they age too;
 * then what features keep beside the history for restarts is purged with the same retention
 * ({@link KeptBesideHistory}).
 */
@Configuration(proxyBeanMethods = false)
class BatchHistoryPurgeJobConfiguration {

    /** Checked when the job is launched (the job's validator). */
    static final WholeNumberParameters PARAMETERS = new WholeNumberParameters()
            .with("retentionDays", 30, 1, 36_500)
            .with("batchSize", 5_000, 1, 1_000_000);

    /** Jobs whose history is kept whatever its age. */
    static final List<String> KEPT_JOBS = List.of("leadImportJob", "dncImportJob");

    @Bean
    Job batchHistoryPurgeJob(JobRepository jobRepository, Step batchHistoryPurgeStep) {
        return TaskletJobs.job("batchHistoryPurgeJob", jobRepository, PARAMETERS, batchHistoryPurgeStep);
    }

    @Bean
    Step batchHistoryPurgeStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JdbcTemplate jdbc, @Lazy LeftRunningExecutions leftRunning, ObjectProvider<KeptBesideHistory> kept) {
        return TaskletJobs.step("batchHistoryPurgeStep", jobRepository, transactionManager, PARAMETERS,
                (contribution, parameter) -> {
                    int retentionDays = parameter.applyAsInt("retentionDays");
                    if (contribution.getStepExecution().getCommitCount() == 0) {
                        leftRunning.recover();
                        kept.forEach(feature -> feature.purge(retentionDays));
                    }
                    int batchSize = parameter.applyAsInt("batchSize");
                    int deleted = purge(jdbc, retentionDays, batchSize);
                    contribution.incrementWriteCount(deleted);
                    return deleted < batchSize ? RepeatStatus.FINISHED : RepeatStatus.CONTINUABLE;
                });
    }

    /** Ended executions oldest first along batch_job_execution_end_time_idx; lead and DNC imports stay. */
    static final String OLDEST_ENDED = """
            SELECT e.job_execution_id FROM batch_job_execution e
            JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
            WHERE e.end_time < now() - make_interval(days => ?)
              AND e.status NOT IN ('STARTING', 'STARTED', 'STOPPING') AND i.job_name NOT IN (%s)
            ORDER BY e.end_time, e.job_execution_id LIMIT ?""".formatted(
            String.join(",", KEPT_JOBS.stream().map(job -> "'" + job + "'").toList()));

    /**
     * What hangs off a batch of executions, then the executions, by the foreign-key indexes of V9_74_1. Ids go through
     * arrays: {@code IN (SELECT ...)} lets the planner hash them and read the whole table.
     */
    static final List<String> DELETE_EXECUTIONS = List.of(
            "DELETE FROM batch_step_execution_context WHERE step_execution_id = ANY (ARRAY(SELECT step_execution_id "
                    + "FROM batch_step_execution WHERE job_execution_id = ANY (?)))",
            "DELETE FROM batch_step_execution WHERE job_execution_id = ANY (?)",
            "DELETE FROM batch_job_execution_context WHERE job_execution_id = ANY (?)",
            "DELETE FROM batch_job_execution_params WHERE job_execution_id = ANY (?)");

    static final String DELETE_EXECUTION_ROWS = "DELETE FROM batch_job_execution WHERE job_execution_id = ANY (?) "
            + "RETURNING job_instance_id";

    /**
     * The instances of a batch left without an execution. Their executions are looked up by the batch's ids
     * (batch_job_execution_job_instance_idx): a NOT EXISTS probe per instance is planned as a hash of every execution.
     */
    static final String DELETE_EMPTY_INSTANCES = "DELETE FROM batch_job_instance WHERE job_instance_id = ANY (?) "
            + "AND job_instance_id NOT IN "
            + "(SELECT job_instance_id FROM batch_job_execution WHERE job_instance_id = ANY (?))";

    /** One batch, oldest first: the executions, what hangs off them, then the instances left without any. */
    static int purge(JdbcTemplate jdbc, int retentionDays, int batchSize) {
        Long[] ids = jdbc.queryForList(OLDEST_ENDED, Long.class, retentionDays, batchSize).toArray(Long[]::new);
        if (ids.length == 0) {
            return 0;
        }
        DELETE_EXECUTIONS.forEach(statement -> jdbc.update(statement, (Object) ids));
        List<Long> instances = jdbc.queryForList(DELETE_EXECUTION_ROWS, Long.class, (Object) ids);
        Long[] left = instances.toArray(Long[]::new);
        jdbc.update(DELETE_EMPTY_INSTANCES, left, left);
        return ids.length;
    }
}
