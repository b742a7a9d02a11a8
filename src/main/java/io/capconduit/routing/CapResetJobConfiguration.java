package io.capconduit.routing;

import java.util.Collections;
import java.util.List;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Rolls hourly, daily and monthly cap windows at the boundary in each client's time zone
 * (batch-jobs/capResetJob.yml; {@link CapResetCatchUp} also runs it at start-up). A batch of settings per
 * transaction, skipping those a call holds locked ({@link CapWindowMapper#rollBatch}); a roll is idempotent, so a
 * rerun or a restart changes nothing more.
 */
@Configuration(proxyBeanMethods = false)
class CapResetJobConfiguration {

    private static final String AFTER_ID = "capReset.afterId";

    @Bean
    Job capResetJob(JobRepository jobRepository, Step capResetStep) {
        return new JobBuilder("capResetJob", jobRepository).start(capResetStep).build();
    }

    @Bean
    Step capResetStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            CapWindowMapper capWindows) {
        return new StepBuilder("capResetStep", jobRepository)
                // one batch per transaction (the tasklet is called again while it answers CONTINUABLE), the last id
                // rolled kept in the step's context
                .tasklet((contribution, context) -> {
                    ExecutionContext state = context.getStepContext().getStepExecution().getExecutionContext();
                    List<Long> rolled = capWindows.rollBatch(null, state.getLong(AFTER_ID, 0L),
                            CapWindowMapper.BATCH_SIZE);
                    contribution.incrementWriteCount(rolled.size());
                    if (rolled.size() < CapWindowMapper.BATCH_SIZE) {
                        return RepeatStatus.FINISHED;
                    }
                    state.putLong(AFTER_ID, Collections.max(rolled));
                    return RepeatStatus.CONTINUABLE;
                }, transactionManager)
                .allowStartIfComplete(true)
                .build();
    }
}
