package io.capconduit.jobs;

import java.time.Instant;
import java.util.Map;

import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** The job repository keeps recent executions, running ones and the import history; older ones go, whole. */
@IntegrationTest
class BatchHistoryPurgeIntegrationTests {

    @Autowired
    BatchJobLauncher launcher;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void executionsEndedBeforeTheRetentionGoWithTheirStepsAndInstance() throws Exception {
        long old = endedDaysAgo(launcher.run("capResetJob", Map.of(), Instant.now()), 40);
        long recent = launcher.run("capResetJob", Map.of(), Instant.now()).getId();
        long oldImport = endedDaysAgo(launcher.run("capResetJob", Map.of(), Instant.now()), 40);
        jdbc.update("UPDATE batch_job_instance SET job_name = 'dncImportJob' WHERE job_instance_id = "
                + "(SELECT job_instance_id FROM batch_job_execution WHERE job_execution_id = ?)", oldImport);
        long running = endedDaysAgo(launcher.run("capResetJob", Map.of(), Instant.now()), 40);
        jdbc.update("UPDATE batch_job_execution SET status = 'STARTED', end_time = NULL WHERE job_execution_id = ?",
                running);
        long oldInstance = instanceOf(old);

        JobExecution purge = launcher.run("batchHistoryPurgeJob", Map.of("retentionDays", "30", "batchSize", "1"),
                Instant.now());

        assertThat(purge.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(exists(old)).isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM batch_step_execution WHERE job_execution_id = ?",
                Integer.class, old)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM batch_job_instance WHERE job_instance_id = ?",
                Integer.class, oldInstance)).isZero();
        assertThat(exists(recent)).isTrue();
        assertThat(exists(oldImport)).isTrue();
        assertThat(exists(running)).isTrue();
        jdbc.update("UPDATE batch_job_execution SET status = 'FAILED', end_time = now() WHERE job_execution_id = ?",
                running);
    }

    private long endedDaysAgo(JobExecution execution, int days) {
        jdbc.update("UPDATE batch_job_execution SET end_time = now() - make_interval(days => ?) "
                + "WHERE job_execution_id = ?", days, execution.getId());
        return execution.getId();
    }

    private long instanceOf(long execution) {
        return jdbc.queryForObject("SELECT job_instance_id FROM batch_job_execution WHERE job_execution_id = ?",
                Long.class, execution);
    }

    private boolean exists(long execution) {
        return jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM batch_job_execution WHERE job_execution_id = ?)",
                Boolean.class, execution);
    }
}
