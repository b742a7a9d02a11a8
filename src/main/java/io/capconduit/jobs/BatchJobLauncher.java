package io.capconduit.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.batch.core.launch.support.JobOperatorFactoryBean;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Starts Spring Batch jobs by name with string parameters plus the identifying {@code firedAt}, so every
 * run is a new job instance. {@link #run} waits for the job (Quartz threads, start-up catch-ups);
 * {@link #launch} returns once the execution exists (the API), the job continuing on a thread of a small pool that
 * shutdown waits for. Every job it runs (and {@link #restart} restarts) holds its instance's lock while it runs
 * ({@link LockedJob}).
 */
@Component
public class BatchJobLauncher implements DisposableBean {

    public static final String FIRED_AT = "firedAt";

    /**
     * How long a new execution of another app instance may wait for its thread before a restart counts it as left
     * by a crash. This app's own waiting executions are known ({@link #queued}) and never judged by age.
     */
    private static final Duration STARTING_AT_MOST = Duration.ofMinutes(1);

    /** The exit message of an execution marked FAILED because no thread ran it any more. */
    static final String CRASHED = "no thread ran it any more: the app instance running it stopped or crashed "
            + "before it ended (marked FAILED by a later start-up, restart or history purge); restart it to continue";

    private static final Logger log = LoggerFactory.getLogger(BatchJobLauncher.class);

    private final Map<String, Job> jobs;
    private final JobOperator operator;
    private final JobOperator background;
    private final JobInstanceLocks locks;
    private final JobRepository repository;
    private final ThreadPoolTaskExecutor pool;
    /** The task the background operator just submitted on this thread, and those still to end by instance id. */
    private final ThreadLocal<Future<?>> submitted = new ThreadLocal<>();
    private final Map<Long, Future<?>> queued = new ConcurrentHashMap<>();

    @Autowired
    BatchJobLauncher(List<Job> jobs, JobOperator operator, JobRepository repository,
            PlatformTransactionManager transactionManager, JobInstanceLocks locks) throws Exception {
        this(jobs, operator, repository, transactionManager, locks, pool(4));
    }

    BatchJobLauncher(List<Job> jobs, JobOperator operator, JobRepository repository,
            PlatformTransactionManager transactionManager, JobInstanceLocks locks, ThreadPoolTaskExecutor pool)
            throws Exception {
        this.jobs = jobs.stream().map(job -> locks.locked(job, repository))
                .collect(Collectors.toUnmodifiableMap(Job::getName, Function.identity()));
        this.operator = operator;
        this.pool = pool;
        this.background = backgroundOperator(this.jobs.values(), repository, transactionManager,
                task -> submitted.set(pool.submit(task)));
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
        return remember(background.start(require(jobName), parameters(parameters, firedAt)));
    }

    /** Restarts the ended execution on a thread of the pool and returns the new execution at once. */
    JobExecution restart(JobExecution execution) throws JobRestartException {
        return remember(background.restart(execution));
    }

    JobOperator background() {
        return background;
    }

    /** Notes the execution the pool has been handed, so that it counts as running while it waits for a thread. */
    private JobExecution remember(JobExecution execution) {
        Future<?> task = submitted.get();
        submitted.remove();
        queued.values().removeIf(Future::isDone);
        if (task != null && !task.isDone()) {
            queued.put(execution.getJobInstanceId(), task);
        }
        return execution;
    }

    /**
     * Notes a run another launcher of this app handed to its own pool (the lead imports'), so that it too counts as
     * running while it waits for a thread, and no restart or start-up recovery takes it for one a crash left.
     */
    public void noteQueued(long instanceId, Future<?> task) {
        queued.values().removeIf(Future::isDone);
        if (!task.isDone()) {
            queued.put(instanceId, task);
        }
    }

    private boolean queuedHere(long instanceId) {
        Future<?> task = queued.get(instanceId);
        return task != null && !task.isDone();
    }

    /**
     * Whether a thread, of this app or of another instance, still runs the execution's job instance: a stopped
     * execution reads STOPPED while its step still finishes the chunk it was in.
     */
    public boolean isRunning(JobExecution execution) {
        return queuedHere(execution.getJobInstanceId()) || locks.isRunning(execution.getJobInstanceId());
    }

    /**
     * Marks the last execution of the job instance FAILED when a crash left it looking as if it ran: running by
     * its status, yet no thread anywhere holds its instance's lock. Spring Batch restarts only ended executions,
     * and a crash gave this one no chance to end ({@link JobOperator#recover}).
     */
    public void recoverAfterCrash(JobExecution execution) {
        JobExecution last = repository.getLastJobExecution(execution.getJobInstance());
        if (last == null || !last.isRunning() || isRunning(last)) {
            return;
        }
        // a new execution of another app instance is STARTING, its lock not yet taken, until a thread picks it up
        if (last.getStatus() == BatchStatus.STARTING
                && last.getCreateTime().isAfter(LocalDateTime.now().minus(STARTING_AT_MOST))) {
            return;
        }
        log.warn("{} execution {} reads {} but no thread runs it: marking it FAILED (a crash or a shutdown left it so)",
                last.getJobInstance().getJobName(), last.getId(), last.getStatus());
        JobExecution left = repository.getJobExecution(last.getId());
        left.setExitStatus(ExitStatus.FAILED.addExitDescription(CRASHED));
        background.recover(left);
    }

    /** Lets the runs the API started end (a deploy's SIGTERM), for at most the pool's await time. */
    @Override
    public void destroy() {
        pool.shutdown();
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

    /**
     * Threads for runs started from the API. Queued runs wait; at shutdown the running and queued ones get up to
     * 30 s to end, and what is still running then is marked FAILED by the next start-up's recovery.
     */
    static ThreadPoolTaskExecutor pool(int threads) {
        ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
        pool.setThreadNamePrefix("batch-api-");
        pool.setCorePoolSize(threads);
        pool.setWaitForTasksToCompleteOnShutdown(true);
        pool.setAwaitTerminationSeconds(30);
        pool.initialize();
        return pool;
    }

    private static JobOperator backgroundOperator(Collection<Job> jobs, JobRepository repository,
            PlatformTransactionManager transactionManager, TaskExecutor executor) throws Exception {
        MapJobRegistry registry = new MapJobRegistry();
        for (Job job : jobs) {
            registry.register(job);
        }
        JobOperatorFactoryBean factory = new JobOperatorFactoryBean();
        factory.setJobRegistry(registry);
        factory.setJobRepository(repository);
        factory.setTransactionManager(transactionManager);
        factory.setTaskExecutor(executor);
        factory.afterPropertiesSet();
        return factory.getObject();
    }
}
