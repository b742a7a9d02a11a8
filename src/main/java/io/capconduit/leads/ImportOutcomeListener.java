package io.capconduit.leads;

import java.util.List;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes the outcome of an import as the execution's exit description, in words for the person who sent the
 * file: the summary when it worked, the reason when the file was refused (instead of a stack trace). A
 * refused file's staging table and row rejects are dropped (its reject report gives the reason instead); after
 * any other failure (its stack trace is in the log) they stay for the restart.
 */
@Component
class ImportOutcomeListener implements JobExecutionListener {

    /**
     * The exit code of an import whose file was refused (its status is FAILED, as after an internal error): the
     * code, not the words of the exit description, tells the two apart, as those words quote the file's name.
     */
    static final String REFUSED = "REFUSED";

    private final JdbcTemplate jdbc;
    private final StoredUploads uploads;

    ImportOutcomeListener(JdbcTemplate jdbc, StoredUploads uploads) {
        this.jdbc = jdbc;
        this.uploads = uploads;
    }

    /** Whether the import failed because the file was refused (not on an internal error a restart may get past). */
    static boolean refusedTheFile(JobExecution execution) {
        return execution.getStatus() == BatchStatus.FAILED
                && REFUSED.equals(execution.getExitStatus().getExitCode());
    }

    /** Says which visible sheets of a workbook were left unread: leads there are in no count and no report. */
    private static String unreadSheets(ExecutionContext context) {
        if (!context.containsKey(StagingTasklet.SHEETS)) {
            return "";
        }
        List<String> sheets = List.of(context.getString(StagingTasklet.SHEETS).split("\t"));
        return ". Only its first sheet, '" + sheets.get(0) + "', was read; not its other sheets: '"
                + String.join("', '", sheets.subList(1, sheets.size())) + "' (one sheet per file)";
    }

    /** "1 row", "2 rows", "0 rows". */
    private static String counted(long count, String noun) {
        return count + " " + (count == 1 ? noun : noun + "s");
    }

    @Override
    public void afterJob(JobExecution execution) {
        long instanceId = execution.getJobInstance().getInstanceId();
        String fileName = execution.getJobParameters().getString("fileName", "the file");
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            ExecutionContext context = execution.getExecutionContext();
            long imported = context.getLong(LeadMergeTasklet.IMPORTED, 0L);
            long duplicates = context.getLong(LeadMergeTasklet.DUPLICATES, 0L);
            Long rejected = jdbc.queryForObject("SELECT count(*) FROM lead_import_rejects WHERE job_instance_id = ?",
                    Long.class, instanceId);
            execution.setExitStatus(new ExitStatus(ExitStatus.COMPLETED.getExitCode(), "Imported " + imported
                    + " of " + (imported + duplicates + rejected) + " rows from " + fileName + ": "
                    + counted(duplicates, "duplicate") + " dropped, " + counted(rejected, "row") + " rejected"
                    + unreadSheets(context)));
            uploads.delete(execution.getJobParameters().getString("file"));
            return;
        }
        List<Throwable> failures = execution.getAllFailureExceptions();
        Throwable refused = failures.stream().filter(LeadImportException.class::isInstance).findFirst().orElse(null);
        if (refused != null) {
            jdbc.execute("DROP TABLE IF EXISTS " + StagingTasklet.stageTable(instanceId));
            jdbc.update("DELETE FROM lead_import_merges WHERE job_instance_id = ?", instanceId);
            // nothing of the file went in: the rejects of the chunks staged before would read as if the rest had
            jdbc.update("DELETE FROM lead_import_rejects WHERE job_instance_id = ?", instanceId);
            execution.setExitStatus(new ExitStatus(REFUSED, fileName + " was not imported: " + refused.getMessage()));
            uploads.delete(execution.getJobParameters().getString("file"));
        }
        else if (execution.getStatus() == BatchStatus.STOPPED
                || failures.stream().anyMatch(JobInterruptedException.class::isInstance)) {
            // a stop asked for (or a shutdown's) interrupts the step: no error to look for in the log
            execution.setExitStatus(new ExitStatus(ExitStatus.STOPPED.getExitCode(), "The import of " + fileName
                    + " was stopped (stopJobExecution, or the application shutting down); restart it to continue "
                    + "after the last committed chunk"));
        }
        else if (!failures.isEmpty()) {
            // the stack trace is in the log; callers get words, never SQL
            execution.setExitStatus(new ExitStatus(ExitStatus.FAILED.getExitCode(), "The import of " + fileName
                    + " stopped on an internal error (" + NestedExceptionUtils.getMostSpecificCause(failures.get(0))
                            .getClass().getSimpleName() + "); restart it to continue after the last committed chunk"));
        }
    }
}
