package io.capconduit.reports;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.capconduit.jobs.FilePurge;
import io.capconduit.jobs.TaskletJobs;
import io.capconduit.jobs.WholeNumberParameters;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Deletes the nightly report's workbooks written more than {@code retentionDays} ago (default 400: a year of disputes
 * and a month more, as the CDR purge keeps cdr), with the partial files of writes a crash cut off and the day folders
 * left empty, {@code batchSize} files (default 1,000) per step commit (batch-jobs/dailyReportPurgeJob.yml, nightly).
 * Without it {@code capconduit.reports.folder} gains a workbook per seller every day for good. Only that folder is
 * purged: a workbook a run wrote elsewhere (its {@code folder} parameter) is the operator's to keep.
 */
@Configuration(proxyBeanMethods = false)
class DailyReportPurgeJobConfiguration {

    /** Checked when the job is launched (the job's validator). */
    static final WholeNumberParameters PARAMETERS = new WholeNumberParameters()
            .with("retentionDays", 400, 1, 36_500)
            .with("batchSize", 1_000, 1, 1_000_000);

    @Bean
    Job dailyReportPurgeJob(JobRepository jobRepository, Step dailyReportPurgeStep) {
        return TaskletJobs.job("dailyReportPurgeJob", jobRepository, PARAMETERS, dailyReportPurgeStep);
    }

    @Bean
    Step dailyReportPurgeStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ReportsProperties properties) {
        return TaskletJobs.purgeStep("dailyReportPurgeStep", jobRepository, transactionManager, PARAMETERS,
                (parameter, batchSize) -> purge(properties.folder(), Instant.now(),
                        parameter.applyAsInt("retentionDays"), batchSize));
    }

    /** One batch: at most {@code batchSize} files of the folder unchanged for {@code retentionDays} before now. */
    static int purge(Path folder, Instant now, int retentionDays, int batchSize) throws IOException {
        return FilePurge.tree(folder).deleteChangedBefore(now.minus(Duration.ofDays(retentionDays)), batchSize);
    }
}
