package io.capconduit.leads;

import java.nio.file.Path;
import java.util.UUID;

import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database fails in the middle of an import (a trigger refuses one reject row); the restart continues
 * after the last committed chunk and the list ends with every row exactly once.
 */
@IntegrationTest
class LeadImportRestartIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LeadImportLauncher launcher;

    @TempDir
    Path folder;

    String trigger = "crash_" + UUID.randomUUID().toString().replace("-", "");

    @AfterEach
    void dropTrigger() {
        jdbc.execute("DROP TRIGGER IF EXISTS " + trigger + " ON lead_import_rejects");
        jdbc.execute("DROP TRIGGER IF EXISTS " + trigger + " ON leads");
        jdbc.execute("DROP FUNCTION IF EXISTS " + trigger + "()");
    }

    @Test
    void crashThenRestartGivesNoDuplicatesAndNoGaps() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        long listId = fixtures.newList("US");
        String token = "CRASH-" + UUID.randomUUID();
        StringBuilder csv = new StringBuilder("phone,first_name\n");
        for (int row = 2; row <= 11; row++) {
            csv.append(row == 7 ? token : "20155501" + (10 + row)).append(",Row ").append(row).append('\n');
        }
        jdbc.execute("CREATE FUNCTION " + trigger + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.raw_value = '" + token + "' THEN RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$");
        jdbc.execute("CREATE TRIGGER " + trigger + " BEFORE INSERT ON lead_import_rejects FOR EACH ROW EXECUTE FUNCTION "
                + trigger + "()");

        JobExecution crashed = fixtures.importLeads(listId, fixtures.csv(csv.toString()), null, 2);

        assertThat(crashed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(crashed.getExitStatus().getExitDescription()).contains("stopped on an internal error (PSQLException); "
                + "restart it to continue after the last committed chunk");
        assertThat(fixtures.leads(listId)).isEmpty();
        dropTrigger();

        JobExecution restarted = launcher.await(launcher.restart(crashed.getId()));

        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(fixtures.leads(listId)).extracting(l -> l.get("source_row"))
                .containsExactly(2, 3, 4, 5, 6, 8, 9, 10, 11);
        assertThat(fixtures.rejects(restarted)).extracting(r -> r.get("row_number")).containsExactly(7);
        // rows 2..5 were committed before the crash and not read again
        StepExecution stage = restarted.getStepExecutions().stream()
                .filter(step -> step.getStepName().equals("leadImportStage")).findFirst().orElseThrow();
        assertThat(stage.getReadCount()).isEqualTo(6);
        assertThat(restarted.getExitStatus().getExitDescription()).contains("Imported 9 of 10 rows");
    }

    /** The merge fails, then a PostgreSQL crash empties the UNLOGGED staging table: the restart says so. */
    @Test
    void stagedRowsADatabaseCrashEmptiedAreReportedNotLost() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        long listId = fixtures.newList("US");
        jdbc.execute("CREATE FUNCTION " + trigger + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "RAISE EXCEPTION 'simulated crash'; END $$");
        jdbc.execute("CREATE TRIGGER " + trigger + " BEFORE INSERT ON leads FOR EACH ROW WHEN (NEW.list_id = "
                + listId + ") EXECUTE FUNCTION " + trigger + "()");
        Path file = fixtures.csv("phone\n2015550131\n2015550132\n2015550133\n");

        JobExecution crashed = fixtures.importLeads(listId, file);
        assertThat(crashed.getStatus()).isEqualTo(BatchStatus.FAILED);
        dropTrigger();
        long instanceId = crashed.getJobInstance().getInstanceId();
        jdbc.execute("TRUNCATE " + StagingTasklet.stageTable(instanceId));

        JobExecution restarted = launcher.await(launcher.restart(crashed.getId()));

        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(restarted.getExitStatus().getExitDescription()).isEqualTo(file.getFileName() + " was not imported: "
                + "its staged rows are gone: the database restarted after the file was read (0 of 3 staged rows "
                + "left). Import the file again.");
        assertThat(fixtures.leads(listId)).isEmpty();
    }
}
