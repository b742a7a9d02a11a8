package io.capconduit.calls;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.flow.FlowExecutionStatus;
import org.springframework.batch.core.job.flow.JobExecutionDecider;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * New cdr rows into call logs (batch-jobs/cdrReconciliationJob.yml). Parameters: graceSeconds (rows younger
 * than this wait for the other legs of their call, default 120), chunkSize (cdr ids per transaction, default
 * 250000), workers (transactions writing a range's call logs side by side, default 2, at most 16). A run with
 * no cdr row past the checkpoint (most runs: every 30 s) ends after one indexed query, without creating a step
 * execution.
 */
@Configuration(proxyBeanMethods = false)
class CdrReconciliationJobConfiguration {

    static final String NOTHING_NEW = "NOTHING_NEW";

    /** What a run with nothing new says, in place of Spring Batch's "no steps configured for this job". */
    static final String NOTHING_NEW_MESSAGE = "No cdr row past the checkpoint: nothing to reconcile";

    @Bean
    Job cdrReconciliationJob(JobRepository jobRepository, Step cdrReconciliationStep, CdrReconciliationMapper mapper) {
        JobExecutionDecider newRows = (jobExecution, stepExecution) -> mapper.hasRowsAfterCheckpoint()
                ? FlowExecutionStatus.COMPLETED : new FlowExecutionStatus(NOTHING_NEW);
        return new JobBuilder("cdrReconciliationJob", jobRepository)
                .validator(CdrReconciliationTasklet.PARAMETERS)
                .listener(new JobExecutionListener() {
                    @Override
                    public void afterJob(JobExecution execution) {
                        if (execution.getStepExecutions().isEmpty()
                                && ExitStatus.NOOP.getExitCode().equals(execution.getExitStatus().getExitCode())) {
                            execution.setExitStatus(new ExitStatus(ExitStatus.NOOP.getExitCode(), NOTHING_NEW_MESSAGE));
                        }
                    }
                })
                .start(newRows).on(NOTHING_NEW).end()
                .from(newRows).on("*").to(cdrReconciliationStep)
                .end()
                .build();
    }

    @Bean
    Step cdrReconciliationStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            CdrReconciliationMapper mapper) {
        return new StepBuilder("cdrReconciliationStep", jobRepository)
                .tasklet(new CdrReconciliationTasklet(mapper, transactionManager), transactionManager)
                .allowStartIfComplete(true)
                .build();
    }
}
