package io.capconduit.leads;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** V9_37_0 gives imports refused before the exit code REFUSED, and leaves one that failed on an internal error. */
@IntegrationTest
class ImportRefusalCodeMigrationIntegrationTests {

    private static final String MIGRATION = "db/migration/V9_37_0__import_refusal_exit_code.sql";

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
        jdbc.execute("DROP FUNCTION IF EXISTS " + trigger + "()");
    }

    @Test
    void importsRefusedBeforeTakeTheRefusalCodeAndInternalErrorsKeepTheirs() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        long listId = fixtures.newList("US");
        JobExecution refused = fixtures.importLeads(listId, fixtures.csv("phone\n\"2015550191\n"));
        String token = "CRASH-" + UUID.randomUUID();
        LeadImportFixtures.failOnReject(jdbc, trigger, token);
        JobExecution crashed = launcher.run(new LeadImportLauncher.ImportRequest(fixtures.csv("phone\n" + token + "\n"),
                "march was not imported: yet.csv", listId, null, null, null));
        // as imports before the exit code REFUSED left them
        jdbc.update("UPDATE batch_job_execution SET exit_code = 'FAILED' WHERE job_execution_id = ?", refused.getId());

        jdbc.execute(new ClassPathResource(MIGRATION).getContentAsString(StandardCharsets.UTF_8));

        assertThat(ImportOutcomeListener.refusedTheFile(launcher.execution(refused.getId()))).isTrue();
        assertThat(ImportOutcomeListener.refusedTheFile(launcher.execution(crashed.getId()))).isFalse();
        assertThat(launcher.execution(crashed.getId()).getExitStatus().getExitCode()).isEqualTo("FAILED");
    }
}
