package io.capconduit.jobs;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Marks FAILED, with an end time and a message saying why, every execution that reads as running though no thread
 * anywhere runs it: what a deploy's shutdown or a crash left behind. Runs at start-up (before the start-up
 * catch-ups) and before the nightly history purge, so no STARTED row outlives its app instance by more than a day
 * even when nobody restarts it. An execution another live app instance runs holds its instance's lock and is left
 * alone ({@link BatchJobLauncher#recoverAfterCrash}).
 */
@Component
@Order(10)
class LeftRunningExecutions implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(LeftRunningExecutions.class);

    private final BatchJobLauncher launcher;
    private final JobRepository repository;
    private final JdbcTemplate jdbc;

    LeftRunningExecutions(BatchJobLauncher launcher, JobRepository repository, JdbcTemplate jdbc) {
        this.launcher = launcher;
        this.repository = repository;
        this.jdbc = jdbc;
    }

    @Override
    public void run(ApplicationArguments args) {
        recover();
    }

    void recover() {
        List<Long> running = jdbc.queryForList("SELECT job_execution_id FROM batch_job_execution "
                + "WHERE status IN ('STARTING', 'STARTED', 'STOPPING') ORDER BY job_execution_id", Long.class);
        for (long id : running) {
            try {
                JobExecution execution = repository.getJobExecution(id);
                if (execution != null) {
                    launcher.recoverAfterCrash(execution);
                }
            } catch (RuntimeException e) {
                log.warn("Cannot check whether job execution {} was left running by a crash", id, e);
            }
        }
    }
}
