package io.capconduit.leads;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import io.capconduit.support.Eventually;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    @Autowired
    DataSource dataSource;

    @Autowired
    GraphQlTesters graphQl;

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

    /**
     * The JVM dies in the middle of an import: its execution still reads STARTED, with no end. The restart marks
     * it FAILED (nothing runs it any more) and continues after the last committed chunk.
     */
    @Test
    void anImportAJvmCrashLeftStartedRestarts() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        long listId = fixtures.newList("US");
        String token = "CRASH-" + UUID.randomUUID();
        jdbc.execute("CREATE FUNCTION " + trigger + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.raw_value = '" + token + "' THEN RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$");
        jdbc.execute("CREATE TRIGGER " + trigger + " BEFORE INSERT ON lead_import_rejects FOR EACH ROW EXECUTE FUNCTION "
                + trigger + "()");
        JobExecution crashed = fixtures.importLeads(listId,
                fixtures.csv("phone\n2015550151\n2015550152\n" + token + "\n2015550153\n"), null, 2);
        dropTrigger();
        // as a JVM crash leaves it: running by its status, never ended
        jdbc.update("UPDATE batch_job_execution SET status = 'STARTED', exit_code = 'UNKNOWN', end_time = NULL "
                + "WHERE job_execution_id = ?", crashed.getId());
        jdbc.update("UPDATE batch_step_execution SET status = 'STARTED', exit_code = 'EXECUTING', end_time = NULL "
                + "WHERE job_execution_id = ? AND status = 'FAILED'", crashed.getId());

        JobExecution restarted = launcher.await(launcher.restart(crashed.getId()));

        assertThat(restarted.getStatus()).as(restarted.getExitStatus().getExitDescription())
                .isEqualTo(BatchStatus.COMPLETED);
        assertThat(launcher.execution(crashed.getId()).getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(fixtures.leads(listId)).extracting(l -> l.get("source_row")).containsExactly(2, 3, 5);
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
        // clicked again: the same advice, not an internal error that says to restart
        JobExecution again = launcher.await(launcher.restart(restarted.getId()));
        assertThat(again.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(again.getExitStatus().getExitDescription()).isEqualTo(file.getFileName() + " was not imported: "
                + "its staged rows are gone (the file was refused before, or the import failed longer ago than the "
                + "history is kept). Import the file again.");
    }
    /**
     * An import stopped while its merge waits for the list: the merge still finishes what it started (Spring Batch
     * lets a step's thread end its work). A restart is refused until it has ended; then it imports nothing twice
     * and reports the same counts.
     */
    @ParameterizedTest(name = "restart {0} the stopped merge ends")
    @ValueSource(strings = {"after", "before"})
    void anImportStoppedInItsMergeRestartsWithoutDuplicates(String when) throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        long listId = fixtures.newList("US");
        Path file = fixtures.csv("phone\n2015550141\n2015550142\n2015550141\nnope\n");
        JobExecution stopped;
        String restartedId = null;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement lock = holder.createStatement()) {
                lock.execute("SELECT id FROM lead_lists WHERE id = " + listId + " FOR UPDATE");
            }
            stopped = launcher.start(new LeadImportLauncher.ImportRequest(file, "leads.csv", listId, null, null, null));
            String id = String.valueOf(stopped.getId());
            awaitMerge(stopped.getId(), "STARTED");
            graphQl.as("staff").document("mutation ($id: ID!) { stopJobExecution(id: $id) { status } }")
                    .variable("id", id).execute().path("stopJobExecution.status").entity(String.class)
                    .satisfies(status -> assertThat(status).isIn("STOPPING", "STOPPED"));
            if (when.equals("before")) {
                // Spring Batch already reads STOPPED, but the merge's thread still runs: no second run beside it
                awaitStatus(stopped.getId(), BatchStatus.STOPPED);
                refusedWhileFinishing(id);
            }
            holder.rollback();
        }
        stopped = launcher.await(stopped);
        awaitStatus(stopped.getId(), BatchStatus.STOPPED);
        if (restartedId == null) {
            restartedId = restart(String.valueOf(stopped.getId()));
        }
        JobExecution restarted = awaitEnd(Long.parseLong(restartedId));

        assertThat(restarted.getStatus()).as(restarted.getExitStatus().getExitDescription())
                .isEqualTo(BatchStatus.COMPLETED);
        assertThat(fixtures.leads(listId)).extracting(l -> l.get("source_row")).containsExactly(2, 3);
        assertThat(restarted.getExitStatus().getExitDescription()).contains("Imported 2 of 4 rows");
    }

    /** The same for a DNC import. */
    @Test
    void aDncImportStoppedInItsMergeRestartsWithTheSameCounts() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        String first = "+12015559871";
        String second = "+12015559872";
        jdbc.update("DELETE FROM dnc_numbers WHERE phone IN (?, ?)", first, second);
        Path file = fixtures.csv("phone\n" + first + "\n" + second + "\n" + first + "\n");
        JobExecution stopped;
        String restartedId;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement lock = holder.createStatement()) {
                lock.execute("LOCK TABLE dnc_numbers IN EXCLUSIVE MODE");
            }
            stopped = launcher.start(new LeadImportLauncher.ImportRequest(file, "dnc.csv", null, null, null, null));
            awaitStep(stopped.getId(), "dncImportMerge", "STARTED");
            graphQl.as("staff").document("mutation ($id: ID!) { stopJobExecution(id: $id) { status } }")
                    .variable("id", String.valueOf(stopped.getId())).execute();
            awaitStatus(stopped.getId(), BatchStatus.STOPPED);
            refusedWhileFinishing(String.valueOf(stopped.getId()));
            holder.rollback();
        }
        assertThat(awaitEnd(stopped.getId()).getStatus()).isEqualTo(BatchStatus.STOPPED);
        restartedId = restart(String.valueOf(stopped.getId()));
        JobExecution restarted = awaitEnd(Long.parseLong(restartedId));

        assertThat(restarted.getStatus()).as(restarted.getExitStatus().getExitDescription())
                .isEqualTo(BatchStatus.COMPLETED);
        StepExecution merge = restarted.getStepExecutions().stream()
                .filter(step -> step.getStepName().equals("dncImportMerge")).findFirst().orElseThrow();
        assertThat(merge.getReadCount()).isEqualTo(3);
        assertThat(merge.getWriteCount()).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dnc_numbers WHERE phone IN (?, ?)", Integer.class, first,
                second)).isEqualTo(2);
    }

    private void refusedWhileFinishing(String executionId) {
        graphQl.as("staff").document("mutation ($id: ID!) { restartJobExecution(id: $id) { id } }")
                .variable("id", executionId).execute().errors()
                .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && error.getMessage().contains("still finishing its current chunk"))
                .verify();
    }

    private String restart(String executionId) {
        return graphQl.as("staff").document("mutation ($id: ID!) { restartJobExecution(id: $id) { id } }")
                .variable("id", executionId).execute().path("restartJobExecution.id").entity(String.class).get();
    }

    private void awaitMerge(long executionId, String status) throws InterruptedException {
        awaitStep(executionId, "leadImportMerge", status);
    }

    private void awaitStep(long executionId, String step, String status) throws InterruptedException {
        awaitUntil(step + " of execution " + executionId + " " + status, () -> status.equals(jdbc.query(
                "SELECT status FROM batch_step_execution WHERE job_execution_id = ? AND step_name = ?",
                (rs, row) -> rs.getString(1), executionId, step).stream().findFirst().orElse(null)));
    }

    /**
     * The execution once it has ended and its outcome is written (a restart through the jobs API runs on that
     * API's own launcher, and the import's outcome listener writes the exit description after the end time).
     */
    private JobExecution awaitEnd(long executionId) throws InterruptedException {
        awaitUntil("execution " + executionId + " ends", () -> {
            JobExecution execution = launcher.execution(executionId);
            return execution.getEndTime() != null && (execution.getStatus() == BatchStatus.STOPPED
                    || !execution.getExitStatus().getExitDescription().isEmpty());
        });
        return launcher.execution(executionId);
    }

    private void awaitStatus(long executionId, BatchStatus status) throws InterruptedException {
        awaitUntil("execution " + executionId + " " + status,
                () -> launcher.execution(executionId).getStatus() == status);
    }

    private static void awaitUntil(String what, BooleanSupplier condition) {
        Eventually.await(what, Duration.ofSeconds(30), condition);
    }
}
