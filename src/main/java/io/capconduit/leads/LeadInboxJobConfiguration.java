package io.capconduit.leads;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.interceptor.DefaultTransactionAttribute;

/**
 * leadInboxJob (scheduled by batch-jobs/leadInboxJob.yml): imports every settled file of the inbox folder, one
 * after the other, each as its own leadImportJob / dncImportJob execution. The step runs outside any
 * transaction: each import commits its own chunks, and Spring Batch refuses to start a job inside one.
 */
@Configuration(proxyBeanMethods = false)
class LeadInboxJobConfiguration {

    @Bean
    Job leadInboxJob(JobRepository repository, Step leadInboxStep) {
        return new JobBuilder("leadInboxJob", repository).start(leadInboxStep).build();
    }

    @Bean
    Step leadInboxStep(JobRepository repository, PlatformTransactionManager transactions, LeadInbox inbox) {
        return new StepBuilder("leadInboxStep", repository).tasklet(inbox, transactions)
                .transactionAttribute(new DefaultTransactionAttribute(TransactionDefinition.PROPAGATION_NOT_SUPPORTED))
                .build();
    }
}
