package io.capconduit.leads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

import io.capconduit.jobs.BatchJobLauncher;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Staging tables that crashed imports leave behind go once no restart can use them, at start-up and in the
 * nightly history purge; those a restart continues from stay.
 */
@IntegrationTest
class StagingTableLeftoversIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LeadImportLauncher launcher;

    @Autowired
    BatchJobLauncher jobs;

    @Autowired
    StagingTableLeftovers leftovers;

    @Autowired
    LeadImportProperties properties;

    @TempDir
    Path folder;

    String trigger = "merge_fails_" + UUID.randomUUID().toString().replace("-", "");

    @AfterEach
    void dropTrigger() {
        jdbc.execute("DROP TRIGGER IF EXISTS " + trigger + " ON leads");
        jdbc.execute("DROP FUNCTION IF EXISTS " + trigger + "()");
    }

    @Test
    void startUpDropsTheStagingTablesOfImportsNoRestartCanContinue() throws Exception {
        long restartable = failedImport();
        long abandoned = failedImport();
        jdbc.update("UPDATE batch_job_execution SET status = 'ABANDONED' WHERE job_instance_id = ?", abandoned);
        long completed = failedImport();
        jdbc.update("UPDATE batch_job_execution SET status = 'COMPLETED' WHERE job_instance_id = ?", completed);
        // as left by an import whose job repository rows are gone
        long gone = jdbc.queryForObject("SELECT max(job_instance_id) + 1000000000 FROM batch_job_instance", Long.class);
        jdbc.execute("CREATE UNLOGGED TABLE " + StagingTasklet.stageTable(gone) + " (LIKE lead_import_stage)");

        leftovers.dropLeftovers();

        assertThat(staged(restartable)).isTrue();
        assertThat(staged(abandoned)).isFalse();
        assertThat(staged(completed)).isFalse();
        assertThat(staged(gone)).isFalse();
    }

    @Test
    void theNightlyPurgeDropsTheStagingTableOfAnImportFailedBeforeTheRetention() throws Exception {
        long old = failedImport();
        jdbc.update("UPDATE batch_job_execution SET end_time = now() - interval '31 days' WHERE job_instance_id = ?",
                old);
        long recent = failedImport();

        JobExecution purge = jobs.run("batchHistoryPurgeJob", Map.of("retentionDays", "30"), Instant.now());

        assertThat(purge.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(staged(old)).isFalse();
        assertThat(staged(recent)).isTrue();
    }

    @Test
    void theNightlyPurgeDeletesTheUploadsNoRestartWillRead() throws Exception {
        Path uploads = Files.createDirectories(properties.uploadFolder().resolve(LocalDate.now().toString()));
        long old = failedImport(uploads);
        jdbc.update("UPDATE batch_job_execution SET end_time = now() - interval '31 days' WHERE job_instance_id = ?",
                old);
        long recent = failedImport(uploads);
        // stored, then the launch failed: named by no import
        Path orphan = Files.writeString(uploads.resolve(UUID.randomUUID() + "-orphan.csv"), "phone\n");
        Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minus(Duration.ofDays(31))));
        Path justStored = Files.writeString(uploads.resolve(UUID.randomUUID() + "-new.csv"), "phone\n");

        assertThat(jobs.run("batchHistoryPurgeJob", Map.of("retentionDays", "30"), Instant.now()).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);

        assertThat(Path.of(fileOf(old))).doesNotExist();
        assertThat(Path.of(fileOf(recent))).exists();
        assertThat(orphan).doesNotExist();
        assertThat(justStored).exists();
    }

    private String fileOf(long instanceId) {
        return jdbc.queryForObject("SELECT p.parameter_value FROM batch_job_execution_params p JOIN batch_job_execution e "
                + "ON e.job_execution_id = p.job_execution_id WHERE e.job_instance_id = ? AND p.parameter_name = 'file' "
                + "LIMIT 1", String.class, instanceId);
    }

    private long failedImport() throws Exception {
        return failedImport(folder);
    }

    /** An import whose merge failed on an internal error: FAILED, restartable, its staged rows kept. */
    private long failedImport(Path fileFolder) throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, fileFolder);
        long listId = fixtures.newList("US");
        jdbc.execute("CREATE OR REPLACE FUNCTION " + trigger + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "RAISE EXCEPTION 'simulated crash'; END $$");
        jdbc.execute("CREATE TRIGGER " + trigger + " BEFORE INSERT ON leads FOR EACH ROW WHEN (NEW.list_id = "
                + listId + ") EXECUTE FUNCTION " + trigger + "()");
        try {
            JobExecution failed = fixtures.importLeads(listId, fixtures.csv("phone\n2015550141\n2015550142\n"));
            assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
            long instanceId = failed.getJobInstance().getInstanceId();
            assertThat(staged(instanceId)).isTrue();
            return instanceId;
        }
        finally {
            jdbc.execute("DROP TRIGGER " + trigger + " ON leads");
        }
    }

    private boolean staged(long instanceId) {
        return jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class,
                StagingTasklet.stageTable(instanceId));
    }
}
