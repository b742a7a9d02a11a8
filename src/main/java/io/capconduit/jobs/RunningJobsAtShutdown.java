package io.capconduit.jobs;

import java.time.Duration;
import java.time.Instant;

import org.quartz.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Bounds how long a shutdown waits for the jobs this app runs (Quartz's, the API's, the imports): after
 * {@link #WAIT} those still going are asked to stop after their current chunk, so they end STOPPED (restartable)
 * within a deploy's grace period instead of being killed mid-run. It depends on the scheduler and the launcher so
 * that it runs before Quartz's own shutdown and the run-now pool's, which then wait for the stopping runs.
 */
@Component
class RunningJobsAtShutdown implements DisposableBean {

    /** Well inside the usual 30 s between SIGTERM and SIGKILL, leaving the runs time to end their chunk. */
    static final Duration WAIT = Duration.ofSeconds(15);

    private static final Logger log = LoggerFactory.getLogger(RunningJobsAtShutdown.class);

    private final BatchJobLauncher launcher;
    private final JobInstanceLocks locks;
    private final JobRepository repository;

    RunningJobsAtShutdown(BatchJobLauncher launcher, JobInstanceLocks locks, JobRepository repository,
            Scheduler scheduler) {
        this.launcher = launcher;
        this.locks = locks;
        this.repository = repository;
    }

    @Override
    public void destroy() throws InterruptedException {
        stopAfter(WAIT);
    }

    void stopAfter(Duration wait) throws InterruptedException {
        Instant deadline = Instant.now().plus(wait);
        while (!locks.heldHere().isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        for (long instanceId : locks.heldHere()) {
            try {
                JobInstance instance = repository.getJobInstance(instanceId);
                JobExecution last = instance == null ? null : repository.getLastJobExecution(instance);
                if (last != null && last.isRunning()) {
                    log.warn("Shutting down: stopping {} execution {} after its current chunk (restart it to go on)",
                            instance.getJobName(), last.getId());
                    launcher.background().stop(last);
                }
            } catch (Exception e) {
                log.warn("Shutting down: cannot stop the run of job instance {}", instanceId, e);
            }
        }
    }
}
