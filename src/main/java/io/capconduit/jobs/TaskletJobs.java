package io.capconduit.jobs;

import java.util.function.ToIntFunction;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Scheduled maintenance jobs of one tasklet step that read whole-number parameters (purges, sweeps): the job
 * validates its parameters when launched, and its step may run again whenever it was completed before.
 */
public final class TaskletJobs {

    private TaskletJobs() {
    }

    /** One transaction's work; returning CONTINUABLE runs it again in a new transaction. */
    @FunctionalInterface
    public interface Work {
        RepeatStatus run(StepContribution contribution, ToIntFunction<String> parameter) throws Exception;
    }

    /** One batch of a purge: deletes at most {@code batchSize} rows and says how many it deleted. */
    @FunctionalInterface
    public interface Batch {
        int delete(ToIntFunction<String> parameter, int batchSize) throws Exception;
    }

    public static Job job(String name, JobRepository jobRepository, WholeNumberParameters parameters, Step step) {
        return new JobBuilder(name, jobRepository).validator(parameters).start(step).build();
    }

    public static Step step(String name, JobRepository jobRepository, PlatformTransactionManager transactionManager,
            WholeNumberParameters parameters, Work work) {
        return new StepBuilder(name, jobRepository)
                .tasklet((contribution, context) -> {
                    JobParameters values = contribution.getStepExecution().getJobParameters();
                    return work.run(contribution, parameter -> parameters.value(values, parameter));
                }, transactionManager)
                .allowStartIfComplete(true)
                .build();
    }

    /**
     * A purge's step: one batch of its job's {@code batchSize} parameter per transaction, so no lock is held long,
     * until a batch deletes fewer; the rows deleted count as the step's writes.
     */
    public static Step purgeStep(String name, JobRepository jobRepository,
            PlatformTransactionManager transactionManager, WholeNumberParameters parameters, Batch batch) {
        return step(name, jobRepository, transactionManager, parameters, (contribution, parameter) -> {
            int batchSize = parameter.applyAsInt("batchSize");
            int deleted = batch.delete(parameter, batchSize);
            contribution.incrementWriteCount(deleted);
            return deleted < batchSize ? RepeatStatus.FINISHED : RepeatStatus.CONTINUABLE;
        });
    }
}
