package io.capconduit.leads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class LeadInboxIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LeadImportLauncher launcher;

    @Autowired
    LeadImportProperties properties;

    @Autowired
    JobOperator jobOperator;

    @Autowired
    @Qualifier("leadInboxJob")
    Job leadInboxJob;

    @Test
    void importsEachFileAndMovesItToDoneOrFailed() throws Exception {
        Path inbox = properties.inboxFolder();
        long listId = new LeadImportFixtures(jdbc, launcher, inbox).newList("US");
        Path listFolder = Files.createDirectories(inbox.resolve(Long.toString(listId)));
        Files.writeString(listFolder.resolve("good.csv"), "phone\n5035550100\n5035550101\n");
        Files.writeString(listFolder.resolve("bad.csv"), "name\nAda\n");
        Path unknownList = Files.createDirectories(inbox.resolve("999999999"));
        Files.writeString(unknownList.resolve("lost.csv"), "phone\n5035550102\n");
        Path dnc = Files.createDirectories(inbox.resolve("dnc"));
        Files.writeString(dnc.resolve("do-not-call.csv"), "phone\n5035550179\n");

        JobExecution execution = jobOperator.start(leadInboxJob,
                new JobParametersBuilder().addString("firedAt", UUID.randomUUID().toString()).toJobParameters());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(jdbc.queryForList("SELECT phone FROM leads WHERE list_id = ? ORDER BY phone", String.class, listId))
                .containsExactly("+15035550100", "+15035550101");
        assertThat(listFolder).isEmptyDirectory();
        try (var done = Files.list(inbox.resolve("done").resolve(Long.toString(listId)))) {
            assertThat(done.map(p -> p.getFileName().toString())).singleElement().asString().endsWith("-good.csv");
        }
        try (var failed = Files.list(inbox.resolve("failed").resolve(Long.toString(listId)))) {
            Path error = failed.filter(p -> p.toString().endsWith(".error.txt")).findFirst().orElseThrow();
            assertThat(Files.readString(error)).contains("bad.csv was not imported: The header row has no phone column");
        }
        assertThat(Files.readString(inbox.resolve("failed/999999999/0-lost.csv.error.txt")))
                .startsWith("There is no lead list 999999999");
        // dnc/ feeds the do-not-call list through the same import
        try {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM dnc_numbers WHERE phone = '+15035550179'",
                    Integer.class)).isOne();
            assertThat(dnc).isEmptyDirectory();
            try (var done = Files.list(inbox.resolve("done").resolve("dnc"))) {
                assertThat(done.map(p -> p.getFileName().toString())).singleElement().asString()
                        .endsWith("-do-not-call.csv");
            }
        }
        finally {
            jdbc.update("DELETE FROM dnc_numbers WHERE phone = '+15035550179'");
        }
    }
}
