package io.capconduit.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;

import org.springframework.jdbc.core.JdbcTemplate;

/** The job repository and instance locks as a crash, or another app instance, leaves them. */
final class CrashedExecutions {

    private CrashedExecutions() {
    }

    /** The job repository as a JVM killed in the middle of the run leaves it. */
    static void leftRunningByACrash(JdbcTemplate jdbc, long execution) {
        jdbc.update("UPDATE batch_job_execution SET status = 'STARTED', exit_code = 'UNKNOWN', end_time = NULL "
                + "WHERE job_execution_id = ?", execution);
        jdbc.update("UPDATE batch_step_execution SET status = 'STARTED', exit_code = 'EXECUTING', end_time = NULL "
                + "WHERE job_execution_id = ?", execution);
    }

    /** Calls {@code function} (pg_advisory_lock, pg_advisory_unlock, ...) on a job instance's lock. */
    static void advisoryLock(Connection connection, String function, long instanceId) throws Exception {
        try (PreparedStatement call = connection.prepareStatement("SELECT " + function + "(?, ?)")) {
            call.setInt(1, JobInstanceLocks.LOCK);
            call.setInt(2, (int) instanceId);
            call.execute();
        }
    }
}
