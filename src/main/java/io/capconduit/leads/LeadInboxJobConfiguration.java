package io.capconduit.leads;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * leadInboxJob (scheduled by batch-jobs/leadInboxJob.yml): imports every settled file of the inbox folder, one
 * after the other, each as its own leadImportJob / dncImportJob execution. The step holds no database
 * transaction of its own (each import commits its chunks itself), hence the resourceless transaction manager.
 */
@Configuration(proxyBeanMethods = false)
class LeadInboxJobConfiguration {

    @Bean
    Job leadInboxJob(JobRepository repository, Step leadInboxStep) {
        return new JobBuilder("leadInboxJob", repository).start(leadInboxStep).build();
    }

    @Bean
    Step leadInboxStep(JobRepository repository, LeadInbox inbox) {
        return new StepBuilder("leadInboxStep", repository)
                .tasklet(inbox, new ResourcelessTransactionManager()).build();
    }
}
