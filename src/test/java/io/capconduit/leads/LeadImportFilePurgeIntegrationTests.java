package io.capconduit.leads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.capconduit.jobs.BatchJobLauncher;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The nightly lead-import file purge deletes the inbox's done/ and failed/ files past the retention and the
 * shared-strings files killed imports left; never a file of processing/ (its import may restart) or of a list folder.
 */
@IntegrationTest
class LeadImportFilePurgeIntegrationTests {

    @Autowired
    BatchJobLauncher launcher;

    @Autowired
    LeadImportProperties properties;

    @TempDir
    Path temporary;

    @Test
    void theInboxOutcomesAndSharedStringsLeftoversGoTheFilesStillToImportStay() throws Exception {
        Path inbox = Files.createDirectories(temporary.resolve("inbox"));
        Path imported = write(inbox.resolve("done/42/17-march.xlsx"));
        Path rejects = write(inbox.resolve("done/42/17-march.xlsx.rejects.csv"));
        Path refused = write(inbox.resolve("failed/42/18-bad.csv"));
        Path why = write(inbox.resolve("failed/42/18-bad.csv.error.txt"));
        Path importing = write(inbox.resolve("processing/42/1733000000000-april.xlsx"));
        Path dropped = write(inbox.resolve("42/may.xlsx"));
        Path leftover = write(temporary.resolve("capconduit-shared-strings-1.txt"));
        Path someoneElses = write(temporary.resolve("unrelated.txt"));
        Instant written = Instant.now();

        int deleted = LeadImportFilePurgeJobConfiguration.purge(inbox, temporary, written.plus(Duration.ofDays(91)),
                90, 1_000);

        assertThat(deleted).isEqualTo(5);
        assertThat(imported).doesNotExist();
        assertThat(rejects).doesNotExist();
        assertThat(refused).doesNotExist();
        assertThat(why).doesNotExist();
        assertThat(leftover).doesNotExist();
        assertThat(importing).exists();
        assertThat(dropped).exists();
        assertThat(someoneElses).exists();
    }

    @Test
    void filesWithinTheRetentionStay() throws Exception {
        Path inbox = Files.createDirectories(temporary.resolve("inbox"));
        Path imported = write(inbox.resolve("done/42/17-march.xlsx"));

        assertThat(LeadImportFilePurgeJobConfiguration.purge(inbox, temporary, Instant.now().plus(Duration.ofDays(89)),
                90, 1_000)).isZero();
        assertThat(imported).exists();
    }

    @Test
    void theJobRunsOnTheConfiguredInboxAndRefusesARetentionBelowADay() throws Exception {
        Path imported = write(properties.inboxFolder().resolve("done/42/17-purge-test.xlsx"));

        JobExecution run = launcher.run("leadImportFilePurgeJob", Map.of(), Instant.now());

        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(imported).exists();
        assertThatThrownBy(() -> launcher.run("leadImportFilePurgeJob", Map.of("retentionDays", "0"), Instant.now()))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessage("retentionDays must be a whole number from 1 to 36500, not '0'");
        Files.delete(imported);
    }

    private static Path write(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "x");
    }
}
