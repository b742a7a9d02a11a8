package io.capconduit.jobs;

import io.capconduit.jobs.BatchJobViews.BatchJobExecution;
import io.capconduit.system.NotFoundException;
import reactor.core.publisher.Flux;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/** Job executions as they go on, for subscriptions. Staff only, like the jobs queries. */
@Service
@PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
class JobProgressService {

    private final JobRepository repository;
    private final JobExecutionChanges changes;

    JobProgressService(JobRepository repository, JobExecutionChanges changes) {
        this.repository = repository;
        this.changes = changes;
    }

    /**
     * The execution now, then after each change of its status or of its steps' counts, until it has ended. The
     * caller's rights are checked here, once: the reads that follow run on other threads, without them.
     */
    Flux<BatchJobExecution> progress(long id) {
        read(id);
        return changes.follow(id, () -> read(id), execution -> !BatchStatus.valueOf(execution.status()).isRunning());
    }

    private BatchJobExecution read(long id) {
        JobExecution execution;
        try {
            // Batch 6's JDBC repository throws for an unknown id where the interface promises null
            execution = repository.getJobExecution(id);
        }
        catch (EmptyResultDataAccessException ex) {
            execution = null;
        }
        if (execution == null) {
            throw new NotFoundException("Job execution", id);
        }
        return BatchJobExecution.of(execution);
    }
}
