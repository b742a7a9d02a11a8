package io.capconduit.routing;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Rolls hourly, daily and monthly cap windows at the boundary in each client's time zone
 * (batch-jobs/capResetJob.yml; {@link CapResetCatchUp} also runs it at start-up). One UPDATE, so a rerun
 * or a restart changes nothing more.
 */
@Configuration(proxyBeanMethods = false)
class CapResetJobConfiguration {

    @Bean
    Job capResetJob(JobRepository jobRepository, Step capResetStep) {
        return new JobBuilder("capResetJob", jobRepository).start(capResetStep).build();
    }

    @Bean
    Step capResetStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            CapWindowMapper capWindows) {
        return new StepBuilder("capResetStep", jobRepository)
                .tasklet((contribution, context) -> {
                    contribution.incrementWriteCount(capWindows.rollWindows());
                    return RepeatStatus.FINISHED;
                }, transactionManager)
                .allowStartIfComplete(true)
                .build();
    }
}
