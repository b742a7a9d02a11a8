package io.capconduit.routing;

import java.time.Duration;

import io.capconduit.jobs.TaskletJobs;
import io.capconduit.jobs.WholeNumberParameters;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Releases the route claims of calls that ended without releasing them ({@link RouteClaimSweep}):
 * batch-jobs/routeClaimSweepJob.yml, every minute. {@code minAgeSeconds} (default 300): a claim younger than this is
 * left alone whatever AMI says, so a short call whose CDR does arrive is usually released first by the CDR
 * reconciliation (120 s grace, every 30 s), which also counts an answer the database missed; {@code maxAgeHours}
 * (default 12): a claim older than this is released anyway.
 */
@Configuration(proxyBeanMethods = false)
class RouteClaimSweepJobConfiguration {

    /** Checked when the job is launched (the job's validator). */
    static final WholeNumberParameters PARAMETERS = new WholeNumberParameters()
            .with("minAgeSeconds", 300, 10, 86_400)
            .with("maxAgeHours", 12, 1, 720);

    @Bean
    Job routeClaimSweepJob(JobRepository jobRepository, Step routeClaimSweepStep) {
        return TaskletJobs.job("routeClaimSweepJob", jobRepository, PARAMETERS, routeClaimSweepStep);
    }

    @Bean
    Step routeClaimSweepStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            RouteClaimSweep sweep) {
        return TaskletJobs.step("routeClaimSweepStep", jobRepository, transactionManager, PARAMETERS,
                (contribution, parameter) -> {
                    int released = sweep.sweep(Duration.ofSeconds(parameter.applyAsInt("minAgeSeconds")),
                            Duration.ofHours(parameter.applyAsInt("maxAgeHours")));
                    contribution.incrementWriteCount(released);
                    return RepeatStatus.FINISHED;
                });
    }
}
