package io.capconduit.leads;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Autowired
    DataSource dataSource;

    @Autowired
    LeadImportProperties properties;

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

    /** Whatever a failed assertion left prepared would hold locks and slots into the next test. */
    @AfterEach
    void noPreparedTransactionLeft() {
        for (String gid : jdbc.queryForList("SELECT gid FROM pg_prepared_xacts WHERE gid LIKE 'test-slot-%'",
                String.class)) {
            jdbc.execute("ROLLBACK PREPARED '" + gid + "'");
        }
        LeadMergeParts.finishAbandoned(dataSource);
    }

    @Test
    void insertsInPartsWithIdsInFileOrder() throws Exception {
        JobExecution execution = fixtures.importLeads(listId, file);

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getExitStatus().getExitDescription())
                .startsWith("Imported 28 of 30 rows").contains("1 duplicate dropped, 1 row rejected");
        assertImportedOnce();
        // two transactions wrote them: one per part
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT xmin::text) FROM leads WHERE list_id = ?", Long.class,
                listId)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM lead_import_merges WHERE job_instance_id = ?", Long.class,
                execution.getJobInstance().getInstanceId())).isZero();
    }

    @Test
    void withoutAFreePreparedTransactionSlotPerPartTheMergeRunsOnOneConnection() throws Exception {
        int slots = jdbc.queryForObject("SELECT current_setting('max_prepared_transactions')::integer "
                + "- (SELECT count(*)::integer FROM pg_prepared_xacts)", Integer.class);
        assertThat(slots).as("free prepared transaction slots").isGreaterThanOrEqualTo(properties.mergeParts());
        List<String> held = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (int i = 0; i < slots - properties.mergeParts() + 1; i++) {   // one slot short of a slot per part
                String gid = "test-slot-" + UUID.randomUUID();
                statement.execute("BEGIN");
                statement.execute("PREPARE TRANSACTION '" + gid + "'");
                held.add(gid);
            }
            JobExecution execution = fixtures.importLeads(listId, file);

            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertImportedOnce();
            assertThat(jdbc.queryForObject("SELECT count(DISTINCT xmin::text) FROM leads WHERE list_id = ?",
                    Long.class, listId)).isEqualTo(1);
        }
        finally {
            for (String gid : held) {
                jdbc.execute("ROLLBACK PREPARED '" + gid + "'");
            }
        }
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
                .startsWith("Imported 28 of 30 rows").contains("1 duplicate dropped, 1 row rejected");
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
                .startsWith("Imported 28 of 30 rows").contains("1 duplicate dropped, 1 row rejected");
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
                    .startsWith("Imported 27 of 30 rows").contains("1 duplicate dropped, 2 rows rejected");
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

    @Test
    void aCommitThatFailsOnceIsTriedAgainAndEveryRowIsImported() throws Exception {
        JobExecution failed = failOnePart();
        cleanUp();
        LeadMergeParts.Merge merge = parts.resume(failed.getJobInstance().getInstanceId()).orElseThrow();
        CommitsFailing commits = new CommitsFailing(dataSource, 1);

        new LeadMergeParts(commits.dataSource(), jdbc, transactions, properties).insert(merge, failed.getId());

        assertThat(commits.refused()).isEqualTo(1);
        assertThat(preparedParts()).isEmpty();
        assertThat(fixtures.leads(listId)).hasSize(28);
        // the import's own restart finds the merge done and completes it
        JobExecution restarted = launcher.await(launcher.restart(failed.getId()));
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertImportedOnce();
    }

    /** Decided, then every commit refused (the database gone for a while): the restart commits, nothing is lost. */
    @Test
    void partsThatCouldNotBeCommittedAfterTheDecisionAreCommittedByTheRestart() throws Exception {
        JobExecution failed = failOnePart();
        cleanUp();
        long instanceId = failed.getJobInstance().getInstanceId();
        LeadMergeParts.Merge merge = parts.resume(instanceId).orElseThrow();
        CommitsFailing commits = new CommitsFailing(dataSource, Integer.MAX_VALUE);

        assertThatThrownBy(() -> new LeadMergeParts(commits.dataSource(), jdbc, transactions, properties)
                .insert(merge, failed.getId())).hasMessageContaining("Could not commit the lead import part")
                .hasMessageContaining("connection reset (test)");
        assertThat(commits.refused()).isEqualTo(3);
        assertThat(preparedParts()).hasSize(2);
        assertThat(jdbc.queryForObject("SELECT committed FROM lead_import_merges WHERE job_instance_id = ?",
                Boolean.class, instanceId)).isTrue();

        JobExecution restarted = launcher.await(launcher.restart(failed.getId()));

        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(restarted.getExitStatus().getExitDescription())
                .startsWith("Imported 28 of 30 rows").contains("1 duplicate dropped, 1 row rejected");
        assertImportedOnce();
    }

    /**
     * The real database, except that its first {@code failures} COMMIT PREPARED statements fail as a dropped
     * connection would, before they reach it.
     */
    private static final class CommitsFailing {

        private final DataSource target;
        private final AtomicInteger left;
        private final AtomicInteger refused = new AtomicInteger();

        CommitsFailing(DataSource target, int failures) {
            this.target = target;
            this.left = new AtomicInteger(failures);
        }

        int refused() {
            return refused.get();
        }

        DataSource dataSource() {
            return proxy(DataSource.class, target, (method, args, result) -> method.getName().equals("getConnection")
                    ? proxy(Connection.class, result, (m, a, r) -> m.getName().equals("createStatement")
                            ? proxy(Statement.class, r, (m2, a2, r2) -> r2) : r)
                    : result);
        }

        private interface Wrap {
            Object apply(Method method, Object[] args, Object result);
        }

        private <T> T proxy(Class<T> type, Object delegate, Wrap wrap) {
            return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { type },
                    (self, method, args) -> {
                        if (delegate instanceof Statement && method.getName().equals("execute") && args != null
                                && args[0] instanceof String sql && sql.startsWith("COMMIT PREPARED")
                                && left.getAndDecrement() > 0) {
                            refused.incrementAndGet();
                            throw new SQLException("connection reset (test)", "08006");
                        }
                        try {
                            return wrap.apply(method, args, method.invoke(delegate, args));
                        }
                        catch (InvocationTargetException ex) {
                            throw ex.getCause();
                        }
                    }));
        }
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
