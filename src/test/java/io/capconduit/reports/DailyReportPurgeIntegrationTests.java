package io.capconduit.reports;

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
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The nightly report's workbooks go once older than the retention, a batch of files per step commit. */
@IntegrationTest
class DailyReportPurgeIntegrationTests {

    @Autowired
    BatchJobLauncher launcher;

    @TempDir
    Path folder;

    @Test
    void workbooksPastTheRetentionGo() throws Exception {
        Path workbook = write(folder.resolve("2025-01-01/seller-1-acme-leads.xlsx"));
        Instant written = Instant.now();

        assertThat(DailyReportPurgeJobConfiguration.purge(folder, written.plus(Duration.ofDays(399)), 400, 10))
                .isZero();
        assertThat(workbook).exists();
        assertThat(DailyReportPurgeJobConfiguration.purge(folder, written.plus(Duration.ofDays(401)), 400, 10))
                .isEqualTo(1);
        assertThat(workbook).doesNotExist();
    }

    @Test
    void theJobCompletesAndRefusesARetentionBelowADay() throws Exception {
        JobExecution run = launcher.run("dailyReportPurgeJob", Map.of("batchSize", "10"), Instant.now());

        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        StepExecution step = run.getStepExecutions().iterator().next();
        assertThat(step.getWriteCount()).isZero();   // the workbooks of the last 400 days stay
        assertThatThrownBy(() -> launcher.run("dailyReportPurgeJob", Map.of("retentionDays", "0"), Instant.now()))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessage("retentionDays must be a whole number from 1 to 36500, not '0'");
    }

    private static Path write(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "x");
    }
}
