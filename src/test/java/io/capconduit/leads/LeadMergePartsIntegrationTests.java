package io.capconduit.leads;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.capconduit.support.IntegrationTest;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large import's merge in parts (two-phase commit, {@link LeadMergeParts}); the test profile merges 8 rows or
 * more in two parts. 30 rows: row 5 repeats row 2's number, row 9's number is on the DNC list.
 */
@IntegrationTest
class LeadMergePartsIntegrationTests {

    private static final String DNC_NUMBER = "+13125550109";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LeadImportLauncher launcher;

    @Autowired
    LeadMergeParts parts;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    Flyway flyway;

    @TempDir
    Path folder;

    LeadImportFixtures fixtures;
    long listId;
    Path file;
    String trigger = "fail_part_" + UUID.randomUUID().toString().replace("-", "");

    @BeforeEach
    void thirtyRows() throws Exception {
        fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        listId = fixtures.newList("US");
        jdbc.update("INSERT INTO dnc_numbers (phone, source) VALUES (?, 'test')", DNC_NUMBER);
        StringBuilder csv = new StringBuilder("phone,first_name\n");
        for (int row = 2; row <= 31; row++) {
            csv.append(row == 5 ? "3125550102" : "31255501" + String.format("%02d", row)).append(",Row ").append(row)
                    .append('\n');
        }
        file = fixtures.csv(csv.toString());
    }

    @AfterEach
    void cleanUp() {
        jdbc.update("DELETE FROM dnc_numbers WHERE phone = ?", DNC_NUMBER);
        jdbc.execute("DROP TRIGGER IF EXISTS " + trigger + " ON leads");
        jdbc.execute("DROP FUNCTION IF EXISTS " + trigger + "()");
    }

    @Test
    void insertsInPartsWithIdsInFileOrder() throws Exception {
        JobExecution execution = fixtures.importLeads(listId, file);

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getExitStatus().getExitDescription())
                .startsWith("Imported 28 of 30 rows").contains("1 duplicates dropped, 1 rows rejected");
        assertImportedOnce();
        // two transactions wrote them: one per part
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT xmin::text) FROM leads WHERE list_id = ?", Long.class,
                listId)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM lead_import_merges WHERE job_instance_id = ?", Long.class,
                execution.getJobInstance().getInstanceId())).isZero();
    }

    @Test
    void twoImportsMergingInPartsAtOnceEachGetTheirOwnRows() throws Exception {
        long otherList = fixtures.newList("US");
        StringBuilder csv = new StringBuilder("phone\n");
        for (int row = 2; row <= 41; row++) {
            csv.append("41555501").append(String.format("%02d", row)).append('\n');
        }
        Path otherFile = fixtures.csv(csv.toString());

        // each merge sweeps before it starts: it must leave the other's prepared parts alone
        JobExecution first = launcher.start(new LeadImportLauncher.ImportRequest(file, "first.csv", listId, null,
                null, null));
        JobExecution second = launcher.start(new LeadImportLauncher.ImportRequest(otherFile, "second.csv", otherList,
                null, null, null));
        first = launcher.await(first);
        second = launcher.await(second);

        assertThat(first.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertImportedOnce();
        assertThat(jdbc.queryForList("SELECT source_row FROM leads WHERE list_id = ? ORDER BY id", Integer.class,
                otherList)).hasSize(40).isSorted();
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT xmin::text) FROM leads WHERE list_id = ?", Long.class,
                otherList)).isEqualTo(2);
    }

    @Test
    void aFailingPartLeavesNoLeadAndTheRestartImportsEveryRowOnce() throws Exception {
        JobExecution failed = failOnePart();

        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(failed.getExitStatus().getExitDescription()).contains("stopped on an internal error");
        // the other part had inserted its rows, or prepared them: rolled back
        assertThat(fixtures.leads(listId)).isEmpty();
        assertThat(preparedParts()).isEmpty();
        cleanUp();

        JobExecution restarted = launcher.await(launcher.restart(failed.getId()));

        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(restarted.getExitStatus().getExitDescription())
                .startsWith("Imported 28 of 30 rows").contains("1 duplicates dropped, 1 rows rejected");
        assertImportedOnce();
    }

    /** A crash after every part prepared: committed if the decision was recorded, rolled back and redone if not. */
    @ParameterizedTest(name = "decided: {0}")
    @ValueSource(booleans = { true, false })
    void partsACrashLeftPreparedAreFinishedAndTheRestartImportsEveryRowOnce(boolean decided) throws Exception {
        JobExecution failed = failOnePart();
        cleanUp();
        long instanceId = failed.getJobInstance().getInstanceId();
        LeadMergeParts.Merge merge = parts.resume(instanceId).orElseThrow();
        parts.prepareParts(merge, failed.getId());   // then the crash
        jdbc.update("UPDATE lead_import_merges SET committed = ? WHERE job_instance_id = ?", decided, instanceId);
        assertThat(preparedParts()).hasSize(2);
        assertThat(fixtures.leads(listId)).isEmpty();

        // as at start-up: no merge holds this import's lock, so its parts are finished as decided
        parts.finishAbandoned();
        assertThat(preparedParts()).isEmpty();
        assertThat(fixtures.leads(listId)).hasSize(decided ? 28 : 0);

        JobExecution restarted = launcher.await(launcher.restart(failed.getId()));

        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(restarted.getExitStatus().getExitDescription())
                .startsWith("Imported 28 of 30 rows").contains("1 duplicates dropped, 1 rows rejected");
        assertThat(preparedParts()).isEmpty();
        assertImportedOnce();
    }

    @Test
    void partsACrashLeftAreFinishedBeforeFlywayMigrates() throws Exception {
        JobExecution failed = failOnePart();
        cleanUp();
        LeadMergeParts.Merge merge = parts.resume(failed.getJobInstance().getInstanceId()).orElseThrow();
        parts.prepareParts(merge, failed.getId());   // then the crash
        assertThat(preparedParts()).hasSize(2);

        flyway.migrate();   // nothing to migrate: its callbacks run all the same, as at every start-up

        assertThat(preparedParts()).isEmpty();
        assertThat(fixtures.leads(listId)).isEmpty();
    }

    @Test
    void partsOfAMergeStillRunningAreLeftAlone() throws Exception {
        JobExecution failed = failOnePart();
        cleanUp();
        long instanceId = failed.getJobInstance().getInstanceId();
        TransactionTemplate coordinator = new TransactionTemplate(transactions);
        coordinator.executeWithoutResult(status -> {
            LeadMergeParts.Merge merge = parts.resume(instanceId).orElseThrow();   // takes the coordinator's lock
            try {
                parts.prepareParts(merge, failed.getId());
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            // another instance starting up, or another import's merge, meanwhile
            CompletableFuture.runAsync(parts::finishAbandoned).join();
            assertThat(preparedParts()).hasSize(2);
            status.setRollbackOnly();
        });
        // the coordinator is gone (its transaction ended) without deciding: now they are rolled back
        parts.finishAbandoned();
        assertThat(preparedParts()).isEmpty();
        assertThat(fixtures.leads(listId)).isEmpty();

        JobExecution restarted = launcher.await(launcher.restart(failed.getId()));
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertImportedOnce();
    }

    @Test
    void dncNumbersAddedWhileTheImportWasStoppedAreRejectedOnRestart() throws Exception {
        JobExecution failed = failOnePart();
        cleanUp();
        jdbc.update("INSERT INTO dnc_numbers (phone, source) VALUES (?, 'test')", DNC_NUMBER);
        jdbc.update("INSERT INTO dnc_numbers (phone, source) VALUES ('+13125550131', 'test')");
        try {
            JobExecution restarted = launcher.await(launcher.restart(failed.getId()));

            assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(restarted.getExitStatus().getExitDescription())
                    .startsWith("Imported 27 of 30 rows").contains("1 duplicates dropped, 2 rows rejected");
            assertThat(jdbc.queryForList("SELECT source_row FROM leads WHERE list_id = ? ORDER BY id", Integer.class,
                    listId)).hasSize(27).doesNotContain(5, 9, 31);
        }
        finally {
            jdbc.update("DELETE FROM dnc_numbers WHERE phone = '+13125550131'");
        }
    }

    @Test
    void stagedRowsADatabaseCrashEmptiedAreReportedNotLost() throws Exception {
        JobExecution failed = failOnePart();
        cleanUp();
        long instanceId = failed.getJobInstance().getInstanceId();
        // what a PostgreSQL crash does to the UNLOGGED staging table
        jdbc.execute("TRUNCATE " + StagingTasklet.stageTable(instanceId));

        JobExecution restarted = launcher.await(launcher.restart(failed.getId()));

        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(restarted.getExitStatus().getExitDescription()).isEqualTo(file.getFileName() + " was not imported: "
                + "its staged rows are gone: the database restarted after the file was read (0 of 28 staged rows "
                + "left). Import the file again.");
        assertThat(fixtures.leads(listId)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM lead_import_merges WHERE job_instance_id = ?", Long.class,
                instanceId)).isZero();
        assertThat(jdbc.queryForObject("SELECT to_regclass(?) IS NULL", Boolean.class,
                StagingTasklet.stageTable(instanceId))).isTrue();
    }

    /** Row 20's lead is refused by a trigger: its part fails after the other may have prepared. */
    private JobExecution failOnePart() throws Exception {
        jdbc.execute("CREATE FUNCTION " + trigger + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "RAISE EXCEPTION 'simulated failure'; END $$");
        jdbc.execute("CREATE TRIGGER " + trigger + " BEFORE INSERT ON leads FOR EACH ROW WHEN (NEW.list_id = "
                + listId + " AND NEW.source_row = 20) EXECUTE FUNCTION " + trigger + "()");
        return fixtures.importLeads(listId, file);
    }

    private void assertImportedOnce() {
        List<Integer> rows = jdbc.queryForList("SELECT source_row FROM leads WHERE list_id = ? ORDER BY id",
                Integer.class, listId);
        assertThat(rows).hasSize(28).isSorted().doesNotContain(5, 9).contains(2, 20, 31);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT phone) FROM leads WHERE list_id = ?", Long.class,
                listId)).isEqualTo(28);
        assertThat(preparedParts()).isEmpty();
    }

    private List<String> preparedParts() {
        return jdbc.queryForList("SELECT gid FROM pg_prepared_xacts WHERE gid LIKE 'capconduit-lead-merge-%'",
                String.class);
    }
}
