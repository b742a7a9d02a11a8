package io.capconduit.leads;

import java.util.Optional;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Second step of a lead import: under the list's row lock (one merge per list at a time), rejects staged numbers
 * on the DNC list, drops numbers seen earlier in the file or already in the list, inserts the rest into the list
 * with the ids they took in file order, and drops the staging table. Duplicates leave the staging table before
 * the insert, so the insert is a plain one: no per-row speculative insertion ({@code ON CONFLICT} cost ~5 s of
 * CPU per million rows). A small import does it all in this step's transaction; a large one inserts in parts over
 * several connections ({@link LeadMergeParts}), all or none. Counts: read = staged rows, write = imported,
 * filter = duplicates, process skip = DNC rejections.
 */
class LeadMergeTasklet implements Tasklet {

    static final String IMPORTED = "import.imported";
    static final String DUPLICATES = "import.duplicates";

    private final JdbcTemplate jdbc;
    private final LeadMergeParts parts;
    private final long listId;

    LeadMergeTasklet(JdbcTemplate jdbc, LeadMergeParts parts, long listId) {
        this.jdbc = jdbc;
        this.parts = parts;
        this.listId = listId;
    }

    /** What the filter took out of the staging table. */
    record Filtered(long dnc, long duplicates) {
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        StepExecution step = contribution.getStepExecution();
        long instanceId = step.getJobExecution().getJobInstance().getInstanceId();
        String stage = StagingTasklet.stageTable(instanceId);
        // Another import's merge into this list would race the duplicate checks below; it waits here instead.
        jdbc.queryForObject("SELECT id FROM lead_lists WHERE id = ? FOR NO KEY UPDATE", Long.class, listId);
        if (mergedEarlier(jdbc, step)) {
            return RepeatStatus.FINISHED;
        }
        requireStageTable(jdbc, stage);
        Optional<LeadMergeParts.Merge> earlier = parts.resume(instanceId);
        LeadMergeParts.Merge merge;
        if (earlier.isPresent()) {
            merge = earlier.get();
            if (!merge.committed()) {
                requireStaged(jdbc, stage, merge.staged() - merge.dnc() - merge.duplicates());
                merge = parts.refilter(merge);
            }
        }
        else {
            long staged = stagedRows(jdbc, stage, step.getJobExecution().getExecutionContext());
            if (!parts.inParts(staged)) {
                Filtered filtered = filter(jdbc, instanceId, listId);
                int imported = jdbc.update(insert(stage), listId, step.getJobExecutionId());
                jdbc.execute("DROP TABLE " + stage);
                record(jdbc, step, staged, imported, filtered.duplicates(), filtered.dnc());
                return RepeatStatus.FINISHED;
            }
            merge = parts.filter(instanceId, listId, staged);
        }
        if (!merge.committed()) {
            parts.insert(merge, step.getJobExecutionId());
        }
        // every row the filter left in the staging table is now a lead
        long imported = merge.staged() - merge.dnc() - merge.duplicates();
        jdbc.update("DELETE FROM lead_import_merges WHERE job_instance_id = ?", instanceId);
        jdbc.execute("DROP TABLE " + stage);
        record(jdbc, step, merge.staged(), imported, merge.duplicates(), merge.dnc());
        return RepeatStatus.FINISHED;
    }

    /**
     * The number of rows in the staging table, if it is the number expected. A PostgreSQL crash (or immediate
     * shutdown) empties UNLOGGED tables: after one, the file has to be read again.
     */
    static long requireStaged(JdbcTemplate jdbc, String stage, long expected) {
        long present = jdbc.queryForObject("SELECT count(*) FROM " + stage, Long.class);
        if (present != expected) {
            throw new LeadImportException("its staged rows are gone: the database restarted after the file was "
                    + "read (" + present + " of " + expected + " staged rows left). Import the file again.");
        }
        return present;
    }

    /** The rows the staging step left, checked against the count it recorded in the job's context. */
    static long stagedRows(JdbcTemplate jdbc, String stage, ExecutionContext job) {
        // an import staged before the staging step recorded its count (an upgrade mid-import) is not checked
        return job.containsKey(StagingTasklet.STAGED) ? requireStaged(jdbc, stage, job.getLong(StagingTasklet.STAGED))
                : jdbc.queryForObject("SELECT count(*) FROM " + stage, Long.class);
    }

    /**
     * Refuses the merge of an import whose staging table is gone: dropped when the file was refused (a restart
     * after that reads nothing new) or by the history purge after the retention.
     */
    static void requireStageTable(JdbcTemplate jdbc, String stage) {
        if (!jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, stage)) {
            throw new LeadImportException("its staged rows are gone (the file was refused before, or the import "
                    + "failed longer ago than the history is kept). Import the file again.");
        }
    }

    /**
     * Takes out of the import's staging table the DNC numbers (rejected), then every row whose number appeared
     * earlier in the file, then the numbers the list already has: a plain scan of what is left inserts each
     * number once, the first row that had it.
     */
    static Filtered filter(JdbcTemplate jdbc, long instanceId, long listId) {
        String stage = StagingTasklet.stageTable(instanceId);
        jdbc.execute("SET LOCAL work_mem = '64MB'");   // the duplicate joins hash a million numbers in memory
        jdbc.execute("ANALYZE " + stage);
        int dnc = rejectDnc(jdbc, instanceId);
        // one pass over the stage: a file that repeats one number 100,000 times costs no more than any other
        int duplicates = jdbc.update("DELETE FROM " + stage + " s USING (SELECT phone, min(row_number) AS first "
                + "FROM " + stage + " GROUP BY phone HAVING count(*) > 1) d WHERE s.phone = d.phone "
                + "AND s.row_number > d.first");
        return new Filtered(dnc, duplicates + dropListed(jdbc, instanceId, listId));
    }

    /** Takes the numbers on the DNC list out of the staging table, each a reject of the import. */
    static int rejectDnc(JdbcTemplate jdbc, long instanceId) {
        return jdbc.update("WITH dnc AS (DELETE FROM " + StagingTasklet.stageTable(instanceId) + " s USING dnc_numbers d "
                + "WHERE d.phone = s.phone RETURNING s.row_number, coalesce(s.raw_phone, s.phone) AS raw) "
                + "INSERT INTO lead_import_rejects (job_instance_id, row_number, raw_value, reason) "
                + "SELECT ?, row_number, raw, 'the number is on the do-not-call list' FROM dnc ON CONFLICT DO NOTHING",
                instanceId);
    }

    /** Takes the numbers the list already has out of the staging table (duplicates). */
    static int dropListed(JdbcTemplate jdbc, long instanceId, long listId) {
        if (!jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM leads WHERE list_id = ?)", Boolean.class, listId)) {
            return 0;
        }
        return jdbc.update("DELETE FROM " + StagingTasklet.stageTable(instanceId) + " s USING leads l "
                + "WHERE l.list_id = ? AND l.phone = s.phone", listId);
    }

    /** The insert of staged rows into leads; parameters: the list id and the job execution id. */
    static String insert(String stage) {
        return "INSERT INTO leads (id, list_id, phone, time_zone, time_zones, first_name, last_name, full_name, email, address, "
                + "city, state, postal_code, country, extra, source_row, import_execution_id) "
                + "SELECT lead_id, ?, phone, time_zone, time_zones, first_name, last_name, full_name, email, address, city, state, "
                + "postal_code, country, extra, row_number, ? FROM " + stage;
    }

    /**
     * Whether an earlier execution of this import already merged it (a stop that came during its merge), in which
     * case its counts are this step's too. Callers hold a lock that an earlier merge still running holds as well.
     */
    static boolean mergedEarlier(JdbcTemplate jdbc, StepExecution step) {
        return jdbc.query("SELECT staged, imported, duplicates, rejected FROM lead_import_results "
                + "WHERE job_instance_id = ?", rs -> {
                    if (!rs.next()) {
                        return false;
                    }
                    counts(step, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
                    return true;
                }, step.getJobExecution().getJobInstance().getInstanceId());
    }

    /** The merge's counts, on its step and, in the merge's own transaction, in {@code lead_import_results}. */
    static void record(JdbcTemplate jdbc, StepExecution step, long staged, long imported, long duplicates,
            long rejected) {
        jdbc.update("INSERT INTO lead_import_results (job_instance_id, staged, imported, duplicates, rejected) "
                + "VALUES (?, ?, ?, ?, ?)", step.getJobExecution().getJobInstance().getInstanceId(), staged, imported,
                duplicates, rejected);
        counts(step, staged, imported, duplicates, rejected);
    }

    private static void counts(StepExecution step, long staged, long imported, long duplicates, long rejected) {
        step.setReadCount(staged);
        step.setWriteCount(imported);
        step.setFilterCount(duplicates);
        step.setProcessSkipCount(rejected);
        ExecutionContext job = step.getJobExecution().getExecutionContext();
        job.putLong(IMPORTED, imported);
        job.putLong(DUPLICATES, duplicates);
    }
}
