package io.capconduit.routing;

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
 * Deletes route claims released longer ago than {@code retentionDays} (default 35), {@code batchSize} rows
 * (default 50,000) per transaction (batch-jobs/routeClaimPurgeJob.yml, nightly). Every call leaves a claim per
 * buyer tried, and nothing reads a released one again: caps count {@code cap_used} and the calls in flight and
 * ringing, kept on the setting; call logs come from the CDR. An open claim is never deleted, however old (the
 * reconciler or a release closes it). Without this, route_claims and its indexes grow by every call forever.
 * An answered claim stays at least {@link #RECOUNT_DAYS} days whatever the retention: a change of cap period or time
 * zone recounts the new window from them, and a month's window began up to 31 days and an hour ago.
 */
@Configuration(proxyBeanMethods = false)
class RouteClaimPurgeJobConfiguration {

    /** Checked when the job is launched (the job's validator). */
    static final WholeNumberParameters PARAMETERS = new WholeNumberParameters()
            .with("retentionDays", 35, 1, 36_500)
            .with("batchSize", 50_000, 1, 10_000_000);

    /** Longer than the longest cap window (a 31-day month whose clocks went back an hour). */
    static final int RECOUNT_DAYS = 32;

    /**
     * Oldest released first along route_claims_released_idx (V9_76_0), so a night's last batch reads only the claims
     * past the retention, not all of the table. The ids go through an array: id IN (SELECT ... LIMIT n) is planned as a
     * hash of them over all of the table.
     */
    static final String PURGE = """
            DELETE FROM route_claims WHERE id = ANY (ARRAY(
                SELECT id FROM route_claims
                WHERE released_at < now() - make_interval(days => ?)
                  AND (answered_at IS NULL OR answered_at < now() - make_interval(days => ?))
                ORDER BY released_at LIMIT ?))""";

    @Bean
    Job routeClaimPurgeJob(JobRepository jobRepository, Step routeClaimPurgeStep) {
        return TaskletJobs.job("routeClaimPurgeJob", jobRepository, PARAMETERS, routeClaimPurgeStep);
    }

    @Bean
    Step routeClaimPurgeStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JdbcTemplate jdbc) {
        return TaskletJobs.purgeStep("routeClaimPurgeStep", jobRepository, transactionManager, PARAMETERS,
                (parameter, batchSize) -> jdbc.update(PURGE, parameter.applyAsInt("retentionDays"), RECOUNT_DAYS,
                        batchSize));
    }
}
