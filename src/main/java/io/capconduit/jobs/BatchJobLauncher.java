package io.capconduit.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.support.JobOperatorFactoryBean;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Starts Spring Batch jobs by name with string parameters plus the identifying {@code firedAt}, so every
 * run is a new job instance. {@link #run} waits for the job (Quartz threads, start-up catch-ups);
 * {@link #launch} returns once the execution exists (the API), the job continuing on its own thread. Every job
 * it runs (and {@link #background()} restarts) holds its instance's lock while it runs ({@link LockedJob}).
 */
@Component
public class BatchJobLauncher {

    public static final String FIRED_AT = "firedAt";

    /** How long a new execution may wait for its thread before a restart counts it as left by a crash. */
    private static final Duration STARTING_AT_MOST = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(BatchJobLauncher.class);

    private final Map<String, Job> jobs;
    private final JobOperator operator;
    private final JobOperator background;
    private final JobInstanceLocks locks;
    private final JobRepository repository;

    BatchJobLauncher(List<Job> jobs, JobOperator operator, JobRepository repository,
            PlatformTransactionManager transactionManager, JobInstanceLocks locks) throws Exception {
        this.jobs = jobs.stream().map(job -> (Job) new LockedJob(job, locks, repository))
                .collect(Collectors.toUnmodifiableMap(Job::getName, Function.identity()));
        this.operator = operator;
        this.background = backgroundOperator(this.jobs.values(), repository, transactionManager);
        this.locks = locks;
        this.repository = repository;
    }

    public Map<String, Job> jobs() {
        return jobs;
    }

    public Optional<Job> job(String name) {
        return Optional.ofNullable(jobs.get(name));
    }

    /** Runs the job on the calling thread and returns its finished execution. */
    public JobExecution run(String jobName, Map<String, String> parameters, Instant firedAt) throws Exception {
        return operator.start(require(jobName), parameters(parameters, firedAt));
    }

    /** Starts the job on a thread of its own and returns the new execution at once. */
    public JobExecution launch(String jobName, Map<String, String> parameters, Instant firedAt) throws Exception {
        return background.start(require(jobName), parameters(parameters, firedAt));
    }

    JobOperator background() {
        return background;
    }

    /**
     * Whether a thread, of this app or of another instance, still runs the execution's job instance: a stopped
     * execution reads STOPPED while its step still finishes the chunk it was in.
     */
    public boolean isRunning(JobExecution execution) {
        return locks.isRunning(execution.getJobInstanceId());
    }

    /**
     * Marks the last execution of the job instance FAILED when a crash left it looking as if it ran: running by
     * its status, yet no thread anywhere holds its instance's lock. Spring Batch restarts only ended executions,
     * and a crash gave this one no chance to end ({@link JobOperator#recover}).
     */
    public void recoverAfterCrash(JobExecution execution) {
        JobExecution last = repository.getLastJobExecution(execution.getJobInstance());
        if (last == null || !last.isRunning() || locks.isRunning(last.getJobInstanceId())) {
            return;
        }
        // a new execution is STARTING, its lock not yet taken, until its thread picks it up
        if (last.getStatus() == BatchStatus.STARTING
                && last.getCreateTime().isAfter(LocalDateTime.now().minus(STARTING_AT_MOST))) {
            return;
        }
        log.warn("{} execution {} reads {} but no thread runs it: marking it FAILED (a crash left it so)",
                last.getJobInstance().getJobName(), last.getId(), last.getStatus());
        background.recover(repository.getJobExecution(last.getId()));
    }

    private Job require(String jobName) {
        Job job = jobs.get(jobName);
        if (job == null) {
            throw new IllegalArgumentException("No Spring Batch Job bean named '" + jobName + "'");
        }
        return job;
    }

    private static JobParameters parameters(Map<String, String> parameters, Instant firedAt) {
        JobParametersBuilder builder = new JobParametersBuilder();
        parameters.forEach((name, value) -> builder.addString(name, value, true));
        return builder.addString(FIRED_AT, firedAt.toString(), true).toJobParameters();
    }

    private static JobOperator backgroundOperator(Collection<Job> jobs, JobRepository repository,
            PlatformTransactionManager transactionManager) throws Exception {
        MapJobRegistry registry = new MapJobRegistry();
        for (Job job : jobs) {
            registry.register(job);
        }
        JobOperatorFactoryBean factory = new JobOperatorFactoryBean();
        factory.setJobRegistry(registry);
        factory.setJobRepository(repository);
        factory.setTransactionManager(transactionManager);
        factory.setTaskExecutor(new SimpleAsyncTaskExecutor("batch-api-"));
        factory.afterPropertiesSet();
        return factory.getObject();
    }
}
