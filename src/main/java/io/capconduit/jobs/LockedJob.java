package io.capconduit.jobs;

import java.time.LocalDateTime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.job.parameters.JobParametersIncrementer;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepLocator;

/**
 * A job that holds its instance's lock ({@link JobInstanceLocks}) for as long as its thread runs it. A run whose
 * instance another run (of this or of another app instance) is running fails at once instead of running beside it. A step locator like the
 * job it wraps, so that stopping it still reaches the running step.
 */
final class LockedJob implements Job, StepLocator {

    private static final Logger log = LoggerFactory.getLogger(LockedJob.class);

    private final Job job;
    private final JobInstanceLocks locks;
    private final JobRepository repository;

    LockedJob(Job job, JobInstanceLocks locks, JobRepository repository) {
        this.job = job;
        this.locks = locks;
        this.repository = repository;
    }

    @Override
    public void execute(JobExecution execution) throws JobInterruptedException {
        long instanceId = execution.getJobInstanceId();
        boolean locked;
        try {
            locked = locks.acquire(instanceId);
        } catch (Exception e) {
            fail(execution, "cannot take the lock of job instance " + instanceId + ": " + e.getMessage());
            return;
        }
        if (!locked) {
            fail(execution, "another run (of this or of another app instance) is running job instance " + instanceId);
            return;
        }
        try {
            if (endedMeanwhile(execution)) {
                return;
            }
            job.execute(execution);
        } finally {
            locks.release(instanceId);
        }
    }

    /**
     * An execution that waited long for a thread (a full import pool) may have been taken for crashed meanwhile,
     * by another app instance, and marked FAILED: a restart may be running it by now, so this one must not.
     */
    private boolean endedMeanwhile(JobExecution execution) {
        BatchStatus stored = repository.getJobExecution(execution.getId()).getStatus();
        if (stored.isRunning()) {
            return false;
        }
        log.warn("{} execution {} got its thread but reads {} by now: not running it", job.getName(),
                execution.getId(), stored);
        return true;
    }

    private void fail(JobExecution execution, String why) {
        LocalDateTime now = LocalDateTime.now();
        execution.setStartTime(now);
        execution.setEndTime(now);
        execution.upgradeStatus(BatchStatus.FAILED);
        execution.setExitStatus(ExitStatus.FAILED.addExitDescription(why));
        repository.update(execution);
    }

    @Override
    public Step getStep(String stepName) {
        return job instanceof StepLocator steps ? steps.getStep(stepName) : null;
    }

    @Override
    public String getName() {
        return job.getName();
    }

    @Override
    public boolean isRestartable() {
        return job.isRestartable();
    }

    @Override
    public JobParametersIncrementer getJobParametersIncrementer() {
        return job.getJobParametersIncrementer();
    }

    @Override
    public JobParametersValidator getJobParametersValidator() {
        return job.getJobParametersValidator();
    }
}
