package io.capconduit.jobs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import io.capconduit.support.IntegrationTest;
import io.capconduit.support.ShadowTablePlans;
import io.capconduit.support.ShadowTablePlans.Query;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/** The job repository keeps recent executions, running ones and the import history; older ones go, whole. */
@IntegrationTest
class BatchHistoryPurgeIntegrationTests {

    @Autowired
    BatchJobLauncher launcher;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactions;

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

    /**
     * A month of executions at the scheduled jobs' pace (250,000, each with its step, contexts and four
     * parameters): each statement of a night's batch reads indexes, never a whole table.
     */
    @Test
    void aBatchReadsIndexesNotWholeTables() {
        ShadowTablePlans plans = new ShadowTablePlans(transactions, jdbc);
        List<String> tables = List.of("batch_job_instance", "batch_job_execution", "batch_job_execution_params",
                "batch_job_execution_context", "batch_step_execution", "batch_step_execution_context");
        List<String> fill = List.of(
                "INSERT INTO batch_job_instance SELECT g, 0, 'cdrReconciliationJob', md5(g::text) "
                        + "FROM generate_series(1, 250000) g",
                "INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, create_time, end_time, "
                        + "status) SELECT g, 2, g, t, t, 'COMPLETED' FROM generate_series(1, 250000) g, "
                        + "LATERAL (SELECT now()::timestamp - interval '35 days' + g * interval '12 seconds') x(t)",
                "INSERT INTO batch_job_execution_params SELECT g, p, 'java.lang.String', '120', 'Y' "
                        + "FROM generate_series(1, 250000) g, unnest(ARRAY['a', 'b', 'c', 'd']) p",
                "INSERT INTO batch_job_execution_context SELECT g, '{}' FROM generate_series(1, 250000) g",
                "INSERT INTO batch_step_execution (step_execution_id, version, step_name, job_execution_id, "
                        + "create_time) SELECT g, 2, 'step', g, now() FROM generate_series(1, 250000) g",
                "INSERT INTO batch_step_execution_context SELECT g, '{}' FROM generate_series(1, 250000) g");
        Long[] batch = LongStream.rangeClosed(1, 5000).boxed().toArray(Long[]::new);

        List<Query> queries = new ArrayList<>();
        queries.add(new Query(BatchHistoryPurgeJobConfiguration.OLDEST_ENDED, 30, 5000));
        BatchHistoryPurgeJobConfiguration.DELETE_EXECUTIONS.forEach(sql -> queries.add(new Query(sql, (Object) batch)));
        queries.add(new Query(BatchHistoryPurgeJobConfiguration.DELETE_EXECUTION_ROWS, (Object) batch));
        queries.add(new Query(BatchHistoryPurgeJobConfiguration.DELETE_EMPTY_INSTANCES, batch, batch));

        List<String> explained = plans.explain(tables, fill, queries);

        assertThat(explained).noneMatch(plan -> plan.contains("Seq Scan"));
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
