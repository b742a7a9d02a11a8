package io.capconduit.leads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.capconduit.jobs.RestartRefusal;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * Refuses to restart an import whose file is no longer on the server while its staging step had not completed:
 * the run would only fail, naming the stored upload, not the file the sender knows. Asked by restartLeadImport
 * and by the jobs API's restartJobExecution alike.
 */
@Component
class ImportRestartRefusal implements RestartRefusal {

    private final JobRepository repository;

    ImportRestartRefusal(JobRepository repository) {
        this.repository = repository;
    }

    @Override
    public Optional<String> refusal(JobExecution last) {
        String step = stageStep(last.getJobInstance().getJobName());
        String file = last.getJobParameters().getString("file");
        if (step == null || file == null || Files.isRegularFile(Path.of(file)) || staged(last, step)) {
            return Optional.empty();
        }
        return Optional.of(last.getJobParameters().getString("fileName", "the file") + " is no longer on the server "
                + "(an upload is deleted once its file was refused, or by the history purge once its import can no "
                + "longer be restarted): import the file again");
    }

    private static String stageStep(String jobName) {
        return switch (jobName) {
            case LeadImportJobConfiguration.LEAD_JOB -> "leadImportStage";
            case LeadImportJobConfiguration.DNC_JOB -> "dncImportStage";
            default -> null;
        };
    }

    /** Whether the import's staging step completed: its merge reads the staging table, no longer the file. */
    private boolean staged(JobExecution execution, String step) {
        StepExecution last = repository.getLastStepExecution(execution.getJobInstance(), step);
        return last != null && last.getStatus() == BatchStatus.COMPLETED;
    }
}
