package io.capconduit.jobs;

import java.util.Optional;

import org.springframework.batch.core.job.JobExecution;

/**
 * A feature's own reason not to restart a run of one of its jobs (a file the run needs is gone, say), asked by
 * {@code restartJobExecution} before it starts a run that could only fail. Features implement it as a bean.
 */
public interface RestartRefusal {

    /** Why the instance of this last execution (ended, not completed) cannot be restarted, in words; empty if it can. */
    Optional<String> refusal(JobExecution last);
}
