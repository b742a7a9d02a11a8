package io.capconduit.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.capconduit.jobs.BatchJobViews.BatchJobExecution;
import io.capconduit.jobs.BatchJobViews.BatchJobParameter;
import io.capconduit.jobs.BatchJobViews.BatchStepExecution;

import org.springframework.batch.core.BatchStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * Job executions as the API shows them, read from Spring Batch's tables in a fixed number of statements however
 * many executions and steps they have (the repository reads them one by one). No rights are checked here: the
 * services that use it check them.
 */
final class BatchExecutionReads {

    private static final String SELECT = """
            SELECT i.job_name, e.job_execution_id, e.job_instance_id, e.status, e.exit_code, e.exit_message,
                   e.create_time, e.start_time, e.end_time
            FROM batch_job_execution e JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id""";

    private static final RowMapper<Row> ROW = (rs, n) -> new Row(rs.getString(1), rs.getLong(2), rs.getLong(3),
            rs.getString(4), rs.getString(5), rs.getString(6), time(rs, 7), time(rs, 8), time(rs, 9));

    private final JdbcTemplate jdbc;

    BatchExecutionReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Each job's newest executions, a restart of an old instance among them: by execution, not by instance, and
     * limited in SQL (the repository's instance list reads every instance id of the job). Three statements for
     * every job together (executions, their parameters, their steps): the repository reads each execution with
     * several of its own, so a list of 200 took over a thousand, and one read per job made batchJobs cost three
     * statements per job.
     */
    Map<String, List<BatchJobExecution>> recent(Collection<String> jobNames, int limit) {
        Map<String, List<BatchJobExecution>> byJob = new LinkedHashMap<>();
        jobNames.forEach(name -> byJob.put(name, new ArrayList<>()));
        if (jobNames.isEmpty()) {
            return byJob;
        }
        // per job, the same plan as a query of its own: its newest executions by id, stopping at the limit
        List<Row> rows = jdbc.query("""
                SELECT j.job_name, e.job_execution_id, e.job_instance_id, e.status, e.exit_code, e.exit_message,
                       e.create_time, e.start_time, e.end_time
                FROM unnest(?::text[]) AS j (job_name)
                CROSS JOIN LATERAL (
                    SELECT e.* FROM batch_job_execution e
                    JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                    WHERE i.job_name = j.job_name ORDER BY e.job_execution_id DESC LIMIT ?) e""",
                ROW, jobNames.toArray(String[]::new), Math.min(limit, JobsService.MAX_EXECUTIONS));
        views(rows).forEach(execution -> byJob.get(execution.jobName()).add(execution));
        return byJob;
    }

    /**
     * One execution by id, with the statements of {@link #recent} (the repository reads each step's execution
     * context too: a statement per step, for what the API never shows).
     */
    Optional<BatchJobExecution> byId(long id) {
        return views(jdbc.query(SELECT + " WHERE e.job_execution_id = ?", ROW, id)).stream().findFirst();
    }

    /** The rows' executions, with their parameters and steps: two statements for them all. */
    private List<BatchJobExecution> views(List<Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Long[] ids = rows.stream().map(Row::id).toArray(Long[]::new);
        Map<Long, List<BatchJobParameter>> parameters = new HashMap<>();
        jdbc.query("""
                SELECT job_execution_id, parameter_name, parameter_type, parameter_value, identifying
                FROM batch_job_execution_params WHERE job_execution_id = ANY (?) ORDER BY parameter_name""",
                (ResultSet rs) -> {
                    String type = rs.getString(3);
                    parameters.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>()).add(new BatchJobParameter(
                            rs.getString(2), String.valueOf(rs.getString(4)), type.substring(type.lastIndexOf('.') + 1),
                            "Y".equals(rs.getString(5))));
                }, (Object) ids);
        Map<Long, List<BatchStepExecution>> steps = new HashMap<>();
        jdbc.query("""
                SELECT job_execution_id, step_execution_id, step_name, status, read_count, write_count, filter_count,
                       commit_count, rollback_count, read_skip_count, process_skip_count, write_skip_count, start_time,
                       end_time, exit_code, exit_message
                FROM batch_step_execution WHERE job_execution_id = ANY (?) ORDER BY step_execution_id""",
                (ResultSet rs) -> {
                    long readSkips = rs.getLong(10);
                    long processSkips = rs.getLong(11);
                    long writeSkips = rs.getLong(12);
                    steps.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>()).add(new BatchStepExecution(
                            rs.getLong(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6),
                            rs.getLong(7), rs.getLong(8), rs.getLong(9), readSkips, processSkips, writeSkips,
                            readSkips + processSkips + writeSkips, BatchJobViews.instant(time(rs, 13)),
                            BatchJobViews.instant(time(rs, 14)), rs.getString(15),
                            BatchJobViews.readable(rs.getString(16))));
                }, (Object) ids);
        return rows.stream().map(row -> BatchJobExecution.of(row.id(), row.jobName(), row.instanceId(),
                row.status() == null ? BatchStatus.UNKNOWN : BatchStatus.valueOf(row.status()), row.exitCode(),
                row.exitMessage(), row.createTime(), row.startTime(), row.endTime(),
                parameters.getOrDefault(row.id(), List.of()), steps.getOrDefault(row.id(), List.of()))).toList();
    }

    /** A batch_job_execution row as {@link #recent} and {@link #byId} read it. */
    private record Row(String jobName, long id, long instanceId, String status, String exitCode, String exitMessage,
            LocalDateTime createTime, LocalDateTime startTime, LocalDateTime endTime) {
    }

    private static LocalDateTime time(ResultSet rs, int column) throws SQLException {
        Timestamp time = rs.getTimestamp(column);
        return time == null ? null : time.toLocalDateTime();
    }
}
