package io.capconduit.jobs;

import io.capconduit.jobs.BatchJobViews.BatchJobExecution;
import io.capconduit.system.NotFoundException;
import reactor.core.publisher.Flux;

import org.springframework.batch.core.BatchStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/** Job executions as they go on, for subscriptions. Staff only, like the jobs queries. */
@Service
@PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
class JobProgressService {

    private final BatchExecutionReads reads;
    private final JobExecutionChanges changes;

    JobProgressService(JdbcTemplate jdbc, JobExecutionChanges changes) {
        this.reads = new BatchExecutionReads(jdbc);
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
        return reads.byId(id).orElseThrow(() -> new NotFoundException("Job execution", id));
    }
}
