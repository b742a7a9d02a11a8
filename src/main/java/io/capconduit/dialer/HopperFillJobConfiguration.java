package io.capconduit.dialer;

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
 * {@code hopperFillJob}: one step that fills every active outbound campaign's hopper. Idempotent by
 * construction (it only tops the hopper up to its level), so a failed run is simply run again.
 */
@Configuration(proxyBeanMethods = false)
class HopperFillJobConfiguration {

    @Bean
    Job hopperFillJob(JobRepository jobRepository, Step hopperFillStep) {
        return new JobBuilder("hopperFillJob", jobRepository).start(hopperFillStep).build();
    }

    @Bean
    Step hopperFillStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            HopperFillService hopperFill) {
        return new StepBuilder("hopperFillStep", jobRepository)
                .tasklet((contribution, chunk) -> {
                    long executionId = chunk.getStepContext().getStepExecution().getJobExecutionId();
                    hopperFill.fillAll(executionId).forEach(run -> contribution.incrementWriteCount(run.inserted()));
                    return RepeatStatus.FINISHED;
                }, transactionManager)
                .build();
    }
}
