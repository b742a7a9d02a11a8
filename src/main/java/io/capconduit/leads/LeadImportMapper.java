package io.capconduit.leads;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.cursor.Cursor;

/**
 * Progress of imports (from Spring Batch's step counts: a restarted staging step starts from the rows its import
 * committed before, so its newest execution counts the whole file) and their rejected rows.
 */
@Mapper
interface LeadImportMapper {

    /** Counts of one import over all its executions: staged rows read, then what the merge made of them. */
    record Counts(long rowsRead, long imported, long duplicates, long rejected) {
    }

    /** One rejected row of the report. */
    record Reject(int rowNumber, String rawValue, String reason) {
    }

    @Select("""
            SELECT coalesce((array_agg(s.read_count ORDER BY s.step_execution_id DESC)
                                 FILTER (WHERE s.step_name LIKE '%Stage'))[1], 0) AS rows_read,
                   coalesce(sum(s.write_count) FILTER (WHERE s.step_name LIKE '%Merge' AND s.status = 'COMPLETED'), 0)
                       AS imported,
                   coalesce(sum(s.filter_count) FILTER (WHERE s.step_name LIKE '%Merge' AND s.status = 'COMPLETED'), 0)
                       AS duplicates,
                   (SELECT count(*) FROM lead_import_rejects r WHERE r.job_instance_id = #{instanceId}) AS rejected
              FROM batch_step_execution s
              JOIN batch_job_execution e ON e.job_execution_id = s.job_execution_id
             WHERE e.job_instance_id = #{instanceId}
            """)
    Counts counts(long instanceId);

    /** The newest execution of the import started on this file (the {@code file} job parameter), null if none. */
    String LAST_EXECUTION_OF_FILE = """
            SELECT max(e.job_execution_id) FROM batch_job_execution e
             WHERE e.job_instance_id IN (SELECT f.job_instance_id FROM batch_job_execution_params p
                                           JOIN batch_job_execution f ON f.job_execution_id = p.job_execution_id
                                          WHERE p.parameter_name = 'file' AND p.parameter_value = #{file})
            """;

    @Select(LAST_EXECUTION_OF_FILE)
    Long lastExecutionOfFile(String file);

    /**
     * Whether the import of this file may still be restarted: its last execution did not end for good (completed,
     * abandoned, unknown) and did not fail longer than {@code retentionDays} ago; null when no import names it.
     */
    @Select("SELECT e.status NOT IN ('COMPLETED', 'ABANDONED', 'UNKNOWN') AND (e.end_time IS NULL "
            + "OR e.end_time >= now() - make_interval(days => #{retentionDays})) FROM batch_job_execution e "
            + "WHERE e.job_execution_id = (" + LAST_EXECUTION_OF_FILE + ")")
    Boolean restartable(@Param("file") String file, @Param("retentionDays") int retentionDays);

    @Select("SELECT row_number, raw_value, reason FROM lead_import_rejects WHERE job_instance_id = #{instanceId} "
            + "ORDER BY row_number")
    @Options(fetchSize = 2000)
    Cursor<Reject> rejects(long instanceId);
}
