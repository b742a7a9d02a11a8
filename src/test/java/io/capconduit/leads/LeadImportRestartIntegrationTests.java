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
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

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

    @Autowired
    LeadImportProperties properties;

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
        failOnReject(token);

        JobExecution crashed = fixtures.importLeads(listId, fixtures.csv(tenRows("20155501", token)), null, 2);

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
        // rows 2..5 were committed before the crash and not read again (they would be duplicates); the restarted
        // execution counts them with its own rows, once
        StepExecution stage = restarted.getStepExecutions().stream()
                .filter(step -> step.getStepName().equals("leadImportStage")).findFirst().orElseThrow();
        assertThat(stage.getReadCount()).isEqualTo(10);
        StepExecution merge = restarted.getStepExecutions().stream()
                .filter(step -> step.getStepName().equals("leadImportMerge")).findFirst().orElseThrow();
        assertThat(merge.getFilterCount()).isZero();
        assertThat(restarted.getExitStatus().getExitDescription()).contains("Imported 9 of 10 rows");
    }

    /**
     * The import fails half-way, then a PostgreSQL crash empties its UNLOGGED staging table: the restart reads the
     * file from row 0 again. Its figures describe the file once, not the failed attempt's rows a second time.
     */
    @Test
    void anImportRestartedFromRowZeroCountsEachRowOnce() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        long listId = fixtures.newList("US");
        String token = "CRASH-" + UUID.randomUUID();
        failOnReject(token);
        JobExecution crashed = fixtures.importLeads(listId, fixtures.csv(tenRows("20155502", token)), null, 2);
        assertThat(crashed.getStatus()).isEqualTo(BatchStatus.FAILED);
        dropTrigger();
        jdbc.execute("TRUNCATE " + StagingTasklet.stageTable(crashed.getJobInstance().getInstanceId()));

        JobExecution restarted = launcher.await(launcher.restart(crashed.getId()));

        assertThat(restarted.getStatus()).as(restarted.getExitStatus().getExitDescription())
                .isEqualTo(BatchStatus.COMPLETED);
        assertThat(fixtures.leads(listId)).extracting(l -> l.get("source_row"))
                .containsExactly(2, 3, 4, 5, 6, 8, 9, 10, 11);
        assertThat(fixtures.rejects(restarted)).extracting(r -> r.get("row_number")).containsExactly(7);
        assertThat(restarted.getExitStatus().getExitDescription()).contains("Imported 9 of 10 rows");
        assertStage(restarted, 10, 9, 1);
        assertStatus(crashed, restarted, 10, 9, 0, 1);
    }

    /** A restart after the last committed chunk: the restarted execution's figures cover the whole file too. */
    @Test
    void anImportRestartedAfterItsLastChunkCountsTheWholeFile() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        long listId = fixtures.newList("US");
        String token = "CRASH-" + UUID.randomUUID();
        failOnReject(token);
        JobExecution crashed = fixtures.importLeads(listId, fixtures.csv("phone\n2015550261\nnope\n2015550262\n"
                + "2015550261\n" + token + "\n2015550263\n"), null, 2);
        assertThat(crashed.getStatus()).isEqualTo(BatchStatus.FAILED);
        dropTrigger();

        JobExecution restarted = launcher.await(launcher.restart(crashed.getId()));

        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(fixtures.leads(listId)).extracting(l -> l.get("source_row")).containsExactly(2, 4, 7);
        // rows 2..5 were committed before the crash and not read again: no row of theirs came twice
        assertStage(restarted, 6, 4, 2);
        assertStatus(crashed, restarted, 6, 3, 1, 2);
    }

    /**
     * A server file whose import stopped on an internal error half-way is corrected in place (a row added at the
     * top, the bad one fixed) before the restart: what the first run staged came from the old file, so the restart
     * reads the file from its first row again instead of resuming at a row number that now names another row.
     */
    @Test
    void aFileChangedBeforeTheRestartIsReadFromItsFirstRow() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        long listId = fixtures.newList("US");
        String token = "CRASH-" + UUID.randomUUID();
        // the bad row fixed, and a row added above the rest
        String corrected = tenRows("20155501", "20155501" + 17).replace("phone,first_name\n",
                "phone,first_name\n2015550199,Added\n");
        Path file = fixtures.csv(tenRows("20155501", token));
        failOnReject(token);
        JobExecution crashed = fixtures.importLeads(listId, file, null, 2);
        assertThat(crashed.getStatus()).isEqualTo(BatchStatus.FAILED);
        dropTrigger();
        java.nio.file.Files.writeString(file, corrected);

        JobExecution restarted = launcher.await(launcher.restart(crashed.getId()));

        // resumed after row 5, it skipped the added number (now row 2) and read old row 5 again as row 6
        assertThat(restarted.getStatus()).as(restarted.getExitStatus().getExitDescription())
                .isEqualTo(BatchStatus.COMPLETED);
        assertThat(fixtures.leads(listId)).extracting(l -> l.get("phone"), l -> l.get("source_row"))
                .startsWith(tuple("+12015550199", 2)).hasSize(11);
        assertThat(fixtures.rejects(restarted)).isEmpty();
        assertStatus(crashed, restarted, 11, 11, 0, 0);
    }

    /**
     * A server file refused at its last row (a quote never closed), corrected in place and restarted: the refusal
     * dropped what its first chunks staged and rejected, so the restart reads it from its first row again, even when
     * those chunks staged nothing (every row rejected).
     */
    @Test
    void aRefusedFileCorrectedAndRestartedIsReadFromItsFirstRow() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        long listId = fixtures.newList("US");
        Path file = fixtures.csv("phone\nnope\nnada\n\"2015550271\n");
        JobExecution refused = fixtures.importLeads(listId, file, null, 2);
        assertThat(refused.getExitStatus().getExitDescription()).contains("was not imported: Row 4 opens a quoted cell");
        java.nio.file.Files.writeString(file, "phone\nnope\nnada\n\"2015550271\"\n");

        JobExecution restarted = launcher.await(launcher.restart(refused.getId()));

        assertThat(restarted.getStatus()).as(restarted.getExitStatus().getExitDescription())
                .isEqualTo(BatchStatus.COMPLETED);
        assertThat(fixtures.leads(listId)).extracting(l -> l.get("source_row")).containsExactly(4);
        assertThat(fixtures.rejects(restarted)).extracting(r -> r.get("row_number")).containsExactly(2, 3);
        assertStatus(refused, restarted, 3, 1, 0, 2);
    }

    /**
     * A restart of an import that completed (by its first execution's id as by its last) is refused in words that
     * say why, not with Spring Batch's dump of the job parameters, the server path of the file among them.
     */
    @Test
    void aCompletedImportIsNotRestartedAndTheAnswerSaysWhy() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        long listId = fixtures.newList("US");
        String token = "CRASH-" + UUID.randomUUID();
        failOnReject(token);
        JobExecution crashed = fixtures.importLeads(listId, fixtures.csv("phone\n2015550281\n" + token + "\n"));
        dropTrigger();
        JobExecution restarted = launcher.await(launcher.restart(crashed.getId()));
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);

        for (JobExecution execution : new JobExecution[] { crashed, restarted }) {
            graphQl.as("staff").document("mutation ($id: ID!) { restartLeadImport(executionId: $id) { executionId } }")
                    .variable("id", String.valueOf(execution.getId())).execute().errors()
                    .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                            && error.getMessage().equals("executionId: this import completed (execution "
                                    + restarted.getId() + "): there is nothing to restart; import the file again to "
                                    + "read it anew"))
                    .verify();
        }
    }

    /**
     * A refused upload is deleted at once (personal data no import will read): its restart is refused in words
     * that say to upload the file again, instead of starting a run that fails on a file name the sender never gave.
     */
    @Test
    void aRefusedUploadIsNotRestartedAndTheAnswerSaysToUploadItAgain() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        long listId = fixtures.newList("US");
        java.nio.file.Files.createDirectories(properties.uploadFolder());
        Path upload = properties.uploadFolder().resolve(UUID.randomUUID() + "-leads.csv");
        java.nio.file.Files.writeString(upload, "phone\n2015550291\n\"2015550292\n");
        JobExecution refused = launcher.run(new LeadImportLauncher.ImportRequest(upload, "leads.csv", listId, null,
                null, null));
        assertThat(refused.getExitStatus().getExitDescription()).startsWith("leads.csv was not imported: ");
        assertThat(upload).doesNotExist();

        graphQl.as("staff").document("mutation ($id: ID!) { restartLeadImport(executionId: $id) { executionId } }")
                .variable("id", String.valueOf(refused.getId())).execute().errors()
                .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && error.getMessage().equals("executionId: leads.csv is no longer on the server (an upload "
                                + "is deleted once its file was refused, or by the history purge once its import can "
                                + "no longer be restarted): import the file again"))
                .verify();
        assertThat(launcher.latest(refused).getId()).isEqualTo(refused.getId());
    }

    /**
     * An import that failed on an internal error is told from a refused one by its exit code, not by words its
     * file's name may hold: its report does not give the error as a refusal, and a seller, who cannot restart it,
     * is told what it can do while staff are told to restart it.
     */
    @Test
    void anInternalErrorIsNotTakenForARefusalWhateverTheFileIsCalled() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        long listId = fixtures.newList("Acme Leads", "US");
        String token = "CRASH-" + UUID.randomUUID();
        failOnReject(token);
        String name = "march was not imported: yet.csv";
        JobExecution crashed = launcher.run(new LeadImportLauncher.ImportRequest(
                fixtures.csv("phone\n2015550171\n" + token + "\n"), name, listId, null, null, null));
        assertThat(crashed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(crashed.getExitStatus().getExitDescription()).contains("stopped on an internal error");

        assertThat(ImportOutcomeListener.refusedTheFile(crashed)).isFalse();
        String csv = WebTestClient.bindToServer(new JdkClientHttpConnector()).baseUrl(graphQl.baseUrl())
                .defaultHeaders(h -> h.setBasicAuth("seller1", "demo")).build().get()
                .uri("/api/leads/import/" + crashed.getId() + "/rejects.csv").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(csv).isEqualTo("\uFEFFrow,raw_value,reason\r\n");
        String id = String.valueOf(crashed.getId());
        graphQl.as("staff").documentName("leadImport").variable("executionId", id).execute()
                .path("leadImport.message").entity(String.class).isEqualTo("The import of " + name + " stopped on an "
                        + "internal error (PSQLException); restart it to continue after the last committed chunk");
        graphQl.as("seller1").documentName("leadImport").variable("executionId", id).execute()
                .path("leadImport.message").entity(String.class).isEqualTo("The import of " + name + " stopped on an "
                        + "internal error: ask staff to restart it (it then continues after the last committed "
                        + "chunk), or import the file again (leads already imported are dropped as duplicates)");
    }

    /**
     * The jobs API's restartJobExecution gives the answer restartLeadImport gives for a lead or DNC import whose
     * file is gone before its reading step completed, instead of starting a run that can only fail on it.
     */
    @Test
    void theJobsApiRefusesToRestartAnImportWhoseFileIsGone() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        long listId = fixtures.newList("US");
        String token = "CRASH-" + UUID.randomUUID();
        failOnReject(token);
        Path file = fixtures.csv("phone\n2015550181\n2015550182\n" + token + "\n2015550183\n");
        JobExecution crashed = fixtures.importLeads(listId, file, null, 2);
        assertThat(crashed.getStatus()).isEqualTo(BatchStatus.FAILED);
        dropTrigger();
        java.nio.file.Files.delete(file);
        java.nio.file.Files.createDirectories(properties.uploadFolder());
        Path upload = properties.uploadFolder().resolve(UUID.randomUUID() + "-dnc.csv");
        java.nio.file.Files.writeString(upload, "phone\n2015550184\n\"2015550185\n");
        JobExecution refusedDnc = launcher.run(new LeadImportLauncher.ImportRequest(upload, "dnc.csv", null, null,
                "US", null));
        assertThat(ImportOutcomeListener.refusedTheFile(refusedDnc)).isTrue();

        for (JobExecution execution : new JobExecution[] { crashed, refusedDnc }) {
            String id = String.valueOf(execution.getId());
            String gone = execution.getJobParameters().getString("fileName") + " is no longer on the server (an "
                    + "upload is deleted once its file was refused, or by the history purge once its import can no "
                    + "longer be restarted): import the file again";
            graphQl.as("staff").document("mutation ($id: ID!) { restartJobExecution(id: $id) { id } }")
                    .variable("id", id).execute().errors()
                    .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                            && error.getMessage().equals("id: execution " + id + " cannot be restarted: " + gone))
                    .verify();
            graphQl.as("staff").document("mutation ($id: ID!) { restartLeadImport(executionId: $id) { executionId } }")
                    .variable("id", id).execute().errors()
                    .expect(error -> error.getMessage().equals("executionId: " + gone)).verify();
            assertThat(launcher.latest(execution).getId()).isEqualTo(execution.getId());
        }
    }

    private void failOnReject(String token) {
        LeadImportFixtures.failOnReject(jdbc, trigger, token);
    }

    /** The restarted execution's staging step in the jobs API: read = staged (write) + rejected (process skip). */
    private void assertStage(JobExecution execution, int read, int staged, int rejected) {
        graphQl.as("staff").document("""
                query ($id: ID!) { batchJobExecution(id: $id) { steps { name readCount writeCount processSkipCount } } }
                """).variable("id", String.valueOf(execution.getId())).execute()
                .path("batchJobExecution.steps[0].name").entity(String.class).isEqualTo("leadImportStage")
                .path("batchJobExecution.steps[0].readCount").entity(Integer.class).isEqualTo(read)
                .path("batchJobExecution.steps[0].writeCount").entity(Integer.class).isEqualTo(staged)
                .path("batchJobExecution.steps[0].processSkipCount").entity(Integer.class).isEqualTo(rejected);
    }

    /** The import's status, by its first execution's id as by its last: imported + duplicates + rejected = read. */
    private void assertStatus(JobExecution first, JobExecution restarted, int read, int imported, int duplicates,
            int rejected) {
        for (long id : new long[] { first.getId(), restarted.getId() }) {
            graphQl.as("staff").documentName("leadImport").variable("executionId", String.valueOf(id)).execute()
                    .path("leadImport.executionId").entity(String.class).isEqualTo(String.valueOf(restarted.getId()))
                    .path("leadImport.rowsRead").entity(Integer.class).isEqualTo(read)
                    .path("leadImport.imported").entity(Integer.class).isEqualTo(imported)
                    .path("leadImport.duplicates").entity(Integer.class).isEqualTo(duplicates)
                    .path("leadImport.rejected").entity(Integer.class).isEqualTo(rejected);
        }
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
        failOnReject(token);
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
     * The same for a DNC import: its merge fails, a PostgreSQL crash empties the staging table, and the restart
     * says so, instead of completing with none of the file's numbers on the do-not-call list.
     */
    @Test
    void dncNumbersADatabaseCrashEmptiedAreReportedNotLost() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        String first = "+12015559881";
        String second = "+12015559882";
        jdbc.update("DELETE FROM dnc_numbers WHERE phone IN (?, ?)", first, second);
        jdbc.execute("CREATE FUNCTION " + trigger + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "RAISE EXCEPTION 'simulated crash'; END $$");
        jdbc.execute("CREATE TRIGGER " + trigger + " BEFORE INSERT ON dnc_numbers FOR EACH ROW WHEN (NEW.phone = '"
                + first + "') EXECUTE FUNCTION " + trigger + "()");
        Path file = fixtures.csv("phone\n" + first + "\n" + second + "\n");
        try {
            JobExecution crashed = fixtures.importDnc(file);
            assertThat(crashed.getStatus()).isEqualTo(BatchStatus.FAILED);
            jdbc.execute("DROP TRIGGER " + trigger + " ON dnc_numbers");
            jdbc.execute("TRUNCATE " + StagingTasklet.stageTable(crashed.getJobInstance().getInstanceId()));

            JobExecution restarted = launcher.await(launcher.restart(crashed.getId()));

            assertThat(restarted.getStatus()).as(restarted.getExitStatus().getExitDescription())
                    .isEqualTo(BatchStatus.FAILED);
            assertThat(restarted.getExitStatus().getExitDescription()).isEqualTo(file.getFileName()
                    + " was not imported: its staged rows are gone: the database restarted after the file was read "
                    + "(0 of 2 staged rows left). Import the file again.");
        }
        finally {
            jdbc.execute("DROP TRIGGER IF EXISTS " + trigger + " ON dnc_numbers");
            jdbc.update("DELETE FROM dnc_numbers WHERE phone IN (?, ?)", first, second);
        }
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
        long listId = fixtures.newList("Acme Leads", "US");
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
        // stopped on purpose (a stop, or the application shutting down), not on an error
        assertThat(awaitEnd(stopped.getId()).getExitStatus().getExitDescription())
                .isEqualTo("The import of leads.csv was stopped (stopJobExecution, or the application shutting down); "
                        + "restart it to continue after the last committed chunk");
        graphQl.as("seller1").documentName("leadImport").variable("executionId", String.valueOf(stopped.getId()))
                .execute().path("leadImport.message").entity(String.class).isEqualTo("The import of leads.csv was "
                        + "stopped (by staff, or the application shutting down): ask staff to restart it (it then "
                        + "continues after the last committed chunk), or import the file again (leads already "
                        + "imported are dropped as duplicates)");
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

    /** A csv of spreadsheet rows 2..11, phones {@code prefix + 12..21}, row 7's phone cell {@code rowSeven}. */
    private static String tenRows(String prefix, String rowSeven) {
        StringBuilder csv = new StringBuilder("phone,first_name\n");
        for (int row = 2; row <= 11; row++) {
            csv.append(row == 7 ? rowSeven : prefix + (10 + row)).append(",Row ").append(row).append('\n');
        }
        return csv.toString();
    }
}
