package io.capconduit.leads;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import io.capconduit.jobs.BatchJobLauncher;
import io.capconduit.jobs.JobInstanceLocks;

import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.batch.core.launch.support.TaskExecutorJobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.task.TaskExecutor;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Starts imports through Spring Batch's JobOperator. Uploads must answer at once, so they run on a small pool
 * of our own; the operator and pool are deliberately not beans, so Boot's JobOperator and task executor, which
 * the scheduled jobs use, stay as they are.
 */
@Component
class LeadImportLauncher implements DisposableBean {

    /** What to import: a file into a list ({@code listId}) or into the DNC list ({@code listId == null}). */
    record ImportRequest(Path file, String fileName, Long listId, String mapping, String region, Integer chunkSize) {
    }

    private final JobRepository repository;
    private final BatchJobLauncher jobs;
    private final Job leadImportJob;
    private final Job dncImportJob;
    private final ThreadPoolTaskExecutor pool;
    private final JobOperator async;
    private final ThreadLocal<Future<?>> submitted = new ThreadLocal<>();
    private final Map<Long, Future<?>> running = new ConcurrentHashMap<>();

    LeadImportLauncher(JobRepository repository, @Qualifier(LeadImportJobConfiguration.LEAD_JOB) Job leadImportJob,
            @Qualifier(LeadImportJobConfiguration.DNC_JOB) Job dncImportJob, LeadImportProperties properties,
            JobInstanceLocks locks, @Lazy BatchJobLauncher jobs) throws Exception {
        this.repository = repository;
        this.jobs = jobs;
        // an import holds its instance's lock while it runs, as every job does: a restart can then tell one a
        // crash left looking as if it ran from one that still runs, here or on another app instance
        this.leadImportJob = locks.locked(leadImportJob, repository);
        this.dncImportJob = locks.locked(dncImportJob, repository);
        this.pool = new ThreadPoolTaskExecutor();
        pool.setThreadNamePrefix("lead-import-");
        pool.setCorePoolSize(Math.max(1, properties.concurrentImports()));
        pool.setWaitForTasksToCompleteOnShutdown(false);
        pool.initialize();
        // the operator submits the job on the calling thread: note its future there, for await()
        this.async = operator(task -> submitted.set(pool.submit(task)));
    }

    /** Starts the import and returns at once with the new execution (STARTING or already running). */
    JobExecution start(ImportRequest request) throws Exception {
        return remember(async.start(job(request), parameters(request)));
    }

    /**
     * Runs the import and waits for its end. It still runs on the pool, not on the calling thread, so it shares
     * no transaction state with a calling step.
     */
    JobExecution run(ImportRequest request) throws Exception {
        return await(start(request));
    }

    /**
     * Waits for the end of an execution this launcher started and returns it as the repository has it then.
     * The job's end time is stored before its listeners write the outcome, so the wait is on the task itself.
     */
    JobExecution await(JobExecution started) throws InterruptedException, ExecutionException {
        Future<?> task = running.remove(started.getId());
        if (task != null) {
            task.get();
        }
        return repository.getJobExecution(started.getId());
    }

    private JobExecution remember(JobExecution execution) {
        Future<?> task = submitted.get();
        submitted.remove();
        running.values().removeIf(Future::isDone);
        if (task != null && !task.isDone()) {
            running.put(execution.getId(), task);
            // waiting for one of the pool's threads, it is not a run a crash left
            jobs.noteQueued(execution.getJobInstanceId(), task);
        }
        return execution;
    }

    /** Restarts a failed or stopped import where its last committed chunk ended. */
    JobExecution restart(long executionId) throws Exception {
        JobExecution failed = execution(executionId);
        if (failed != null) {
            if (jobs.isRunning(failed)) {
                throw new JobRestartException("it is still running (or a stopped run is finishing its chunk); "
                        + "restart it once it has ended");
            }
            // an import a JVM crash left STARTED: marked FAILED first, as Spring Batch restarts only ended runs
            jobs.recoverAfterCrash(failed);
        }
        return remember(async.restart(failed));
    }

    /** The execution, or null for an unknown id (Batch 6's JDBC repository throws where its interface says null). */
    JobExecution execution(long executionId) {
        try {
            return repository.getJobExecution(executionId);
        }
        catch (EmptyResultDataAccessException ex) {
            return null;
        }
    }

    /** The newest execution of the same import (a restart supersedes the failed run). */
    JobExecution latest(JobExecution execution) {
        JobExecution last = repository.getLastJobExecution(execution.getJobInstance());
        return last == null ? execution : last;
    }

    private Job job(ImportRequest request) {
        return request.listId() == null ? dncImportJob : leadImportJob;
    }

    private static JobParameters parameters(ImportRequest request) {
        JobParametersBuilder builder = new JobParametersBuilder()
                .addString("importId", UUID.randomUUID().toString())
                .addString("file", request.file().toAbsolutePath().toString())
                .addString("fileName", request.fileName(), false);
        if (request.listId() != null) {
            builder.addLong("listId", request.listId());
        }
        if (request.mapping() != null && !request.mapping().isBlank()) {
            builder.addString("mapping", request.mapping(), false);
        }
        if (request.region() != null) {
            builder.addString("region", request.region(), false);
        }
        if (request.chunkSize() != null) {
            builder.addLong("chunkSize", request.chunkSize().longValue(), false);
        }
        return builder.toJobParameters();
    }

    private JobOperator operator(TaskExecutor executor) throws Exception {
        MapJobRegistry registry = new MapJobRegistry();
        registry.register(leadImportJob);
        registry.register(dncImportJob);
        TaskExecutorJobOperator operator = new TaskExecutorJobOperator();
        operator.setJobRepository(repository);
        operator.setJobRegistry(registry);
        operator.setTaskExecutor(executor);
        operator.afterPropertiesSet();
        return operator;
    }

    @Override
    public void destroy() {
        pool.shutdown();
    }
}
