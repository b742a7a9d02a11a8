package io.capconduit.calls;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * New cdr rows into call logs (batch-jobs/cdrReconciliationJob.yml). Parameters: graceSeconds (rows younger
 * than this wait for the other legs of their call, default 120), chunkSize (cdr ids per transaction, default
 * 100000).
 */
@Configuration(proxyBeanMethods = false)
class CdrReconciliationJobConfiguration {

    @Bean
    Job cdrReconciliationJob(JobRepository jobRepository, Step cdrReconciliationStep) {
        return new JobBuilder("cdrReconciliationJob", jobRepository).start(cdrReconciliationStep).build();
    }

    @Bean
    Step cdrReconciliationStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            CdrReconciliationMapper mapper) {
        return new StepBuilder("cdrReconciliationStep", jobRepository)
                .tasklet(new CdrReconciliationTasklet(mapper), transactionManager)
                .allowStartIfComplete(true)
                .build();
    }
}
