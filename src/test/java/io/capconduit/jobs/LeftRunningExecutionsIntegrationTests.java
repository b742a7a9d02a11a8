package io.capconduit.jobs;

import java.sql.Connection;
import java.time.Instant;
import java.util.Map;

import javax.sql.DataSource;

import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deploy's SIGTERM or a crash while a job runs leaves its execution STARTED: the next start-up marks it FAILED,
 * whether or not anybody restarts it, unless another app instance still runs it.
 */
@IntegrationTest
class LeftRunningExecutionsIntegrationTests {

    @Autowired
    LeftRunningExecutions startUpRecovery;

    @Autowired
    BatchJobLauncher launcher;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void anExecutionACrashLeftStartedIsFailedAtStartUpWithItsEndAndWhy() throws Exception {
        long crashed = launcher.run("capResetJob", Map.of(), Instant.now()).getId();
        CrashedExecutions.leftRunningByACrash(jdbc, crashed);

        startUpRecovery.run(null);

        assertThat(jdbc.queryForMap("SELECT status, exit_code, exit_message, end_time IS NOT NULL AS ended "
                + "FROM batch_job_execution WHERE job_execution_id = ?", crashed))
                .containsEntry("status", "FAILED").containsEntry("exit_code", "FAILED").containsEntry("ended", true)
                .hasEntrySatisfying("exit_message", message -> assertThat((String) message)
                        .contains("stopped or crashed before it ended"));
        assertThat(jdbc.queryForList("SELECT status FROM batch_step_execution WHERE job_execution_id = ?",
                String.class, crashed)).containsOnly("FAILED");
    }

    /** In a cluster, an execution another live app instance runs holds its instance's lock. */
    @Test
    void anExecutionAnotherAppInstanceRunsIsLeftRunning() throws Exception {
        JobExecution elsewhere = launcher.run("capResetJob", Map.of(), Instant.now());
        CrashedExecutions.leftRunningByACrash(jdbc, elsewhere.getId());
        try (Connection otherInstance = dataSource.getConnection()) {
            CrashedExecutions.advisoryLock(otherInstance, "pg_advisory_lock", elsewhere.getJobInstanceId());
            try {
                startUpRecovery.run(null);
            } finally {
                CrashedExecutions.advisoryLock(otherInstance, "pg_advisory_unlock", elsewhere.getJobInstanceId());
            }
        }

        assertThat(jdbc.queryForObject("SELECT status FROM batch_job_execution WHERE job_execution_id = ?",
                String.class, elsewhere.getId())).isEqualTo("STARTED");
        jdbc.update("UPDATE batch_job_execution SET status = 'FAILED', end_time = now() WHERE job_execution_id = ?",
                elsewhere.getId());
    }

    /** Nobody restarts the every-30-s jobs' executions: the nightly purge fails them too, so they age out. */
    @Test
    void theNightlyHistoryPurgeFailsExecutionsACrashLeftStarted() throws Exception {
        long crashed = launcher.run("capResetJob", Map.of(), Instant.now()).getId();
        CrashedExecutions.leftRunningByACrash(jdbc, crashed);

        launcher.run("batchHistoryPurgeJob", Map.of(), Instant.now());

        assertThat(jdbc.queryForObject("SELECT status FROM batch_job_execution WHERE job_execution_id = ?",
                String.class, crashed)).isEqualTo("FAILED");
    }
}
