package io.capconduit.leads;

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
 * Deletes the lead-import files nobody reads any more (batch-jobs/leadImportFilePurgeJob.yml, nightly),
 * {@code batchSize} files (default 1,000) per step commit: the inbox's {@code done/} and {@code failed/} files (the
 * imported or refused file, its {@code .rejects.csv} or {@code .error.txt}) moved or written there more than
 * {@code retentionDays} ago (default 90: the import's own record, counts and reject report stay with its execution),
 * and the shared-strings files of xlsx imports a killed JVM on this host left in the temporary folder, a day old.
 * Files still in {@code processing/} belong to imports that may restart, and the list folders to whoever drops files
 * there: neither is touched. Uploads go with their import's restartability (batchHistoryPurgeJob).
 */
@Configuration(proxyBeanMethods = false)
class LeadImportFilePurgeJobConfiguration {

    /** Checked when the job is launched (the job's validator). */
    static final WholeNumberParameters PARAMETERS = new WholeNumberParameters()
            .with("retentionDays", 90, 1, 36_500)
            .with("batchSize", 1_000, 1, 1_000_000);

    /** The inbox's folders of imported and refused files. */
    static final String[] OUTCOMES = {"done", "failed"};

    @Bean
    Job leadImportFilePurgeJob(JobRepository jobRepository, Step leadImportFilePurgeStep) {
        return TaskletJobs.job("leadImportFilePurgeJob", jobRepository, PARAMETERS, leadImportFilePurgeStep);
    }

    @Bean
    Step leadImportFilePurgeStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            LeadImportProperties properties) {
        return TaskletJobs.purgeStep("leadImportFilePurgeStep", jobRepository, transactionManager, PARAMETERS,
                (parameter, batchSize) -> purge(properties.inboxFolder(), SharedStringsLeftovers.TEMPORARY_FOLDER,
                        Instant.now(), parameter.applyAsInt("retentionDays"), batchSize));
    }

    /** One batch: at most {@code batchSize} files, the inbox's outcomes first, then the shared-strings leftovers. */
    static int purge(Path inbox, Path temporary, Instant now, int retentionDays, int batchSize) throws IOException {
        Instant before = now.minus(Duration.ofDays(retentionDays));
        int deleted = 0;
        for (String outcome : OUTCOMES) {
            deleted += FilePurge.tree(inbox, outcome).deleteChangedBefore(before, batchSize - deleted);
        }
        return deleted + SharedStringsFile.deleteLeftovers(temporary, now, SharedStringsLeftovers.AGE,
                batchSize - deleted);
    }
}
