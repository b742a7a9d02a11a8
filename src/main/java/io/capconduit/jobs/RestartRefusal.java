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

    /**
     * "completed" or "was abandoned" when the instance's last run ended it for good (Spring Batch restarts neither,
     * and its own refusal lists the instance's parameters, server paths among them); empty otherwise.
     */
    static Optional<String> endedForGood(JobExecution last) {
        if (last == null) {
            return Optional.empty();
        }
        return switch (last.getStatus()) {
            case COMPLETED -> Optional.of("completed");
            case ABANDONED -> Optional.of("was abandoned");
            default -> Optional.empty();
        };
    }
}
