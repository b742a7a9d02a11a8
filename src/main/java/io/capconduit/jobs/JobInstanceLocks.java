package io.capconduit.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which job instances have a thread at work, in this app or in another instance of it. Spring Batch's statuses
 * cannot tell: a stopped execution reads STOPPED while its step still finishes its chunk, and a JVM crash leaves
 * STARTED behind. So a run holds a PostgreSQL advisory lock on its job instance from before it starts to after
 * its last repository update, on one connection this app keeps while any of its jobs runs; a crash releases the
 * locks with the connection.
 */
@Component
public class JobInstanceLocks {

    /** First key of the advisory lock ("JOBS"); the second is the job instance id. */
    static final int LOCK = 0x4a4f4253;

    private static final Logger log = LoggerFactory.getLogger(JobInstanceLocks.class);

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    /** The job instances runs of this app hold, and the connection holding their locks; both guarded by this. */
    private final Set<Long> here = new HashSet<>();
    private Connection holder;

    JobInstanceLocks(DataSource dataSource, JdbcTemplate jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
    }

    /**
     * Takes the instance's lock for a run of this app; false when another run holds it, of this app (advisory
     * locks are re-entrant within the one session all runs here share) or of another app instance.
     */
    synchronized boolean acquire(long instanceId) throws SQLException {
        if (here.contains(instanceId)) {
            return false;
        }
        try {
            if (holder == null) {
                holder = dataSource.getConnection();
                holder.setAutoCommit(true);
            }
            if (!lockCall("SELECT pg_try_advisory_lock(?, ?)", instanceId)) {
                closeIfIdle();
                return false;
            }
        } catch (SQLException e) {
            discard();
            throw e;
        }
        here.add(instanceId);
        return true;
    }

    /** The job, holding its instance's lock while it runs, for a launcher of its own (the lead imports'). */
    public Job locked(Job job, JobRepository repository) {
        return job instanceof LockedJob ? job : new LockedJob(job, this, repository);
    }

    /** Ends a run taken with {@link #acquire}. */
    synchronized void release(long instanceId) {
        if (!here.remove(instanceId)) {
            return;
        }
        if (holder != null) {
            try {
                lockCall("SELECT pg_advisory_unlock(?, ?)", instanceId);
            } catch (SQLException e) {
                log.warn("Cannot release the lock of job instance {}; dropping its connection", instanceId, e);
                discard();
            }
        }
        closeIfIdle();
    }

    /** Whether a thread of this app, or a live session of another instance, runs the job instance. */
    boolean isRunning(long instanceId) {
        synchronized (this) {
            if (here.contains(instanceId)) {
                return true;
            }
        }
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM pg_locks
                                WHERE locktype = 'advisory' AND objsubid = 2 AND classid = ?::oid AND objid = ?::oid
                                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))""",
                Boolean.class, LOCK, (int) instanceId));
    }

    private boolean lockCall(String sql, long instanceId) throws SQLException {
        try (PreparedStatement call = holder.prepareStatement(sql)) {
            call.setInt(1, LOCK);
            call.setInt(2, (int) instanceId);
            try (ResultSet result = call.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    /** With no run left the connection goes back to the pool, holding nothing. */
    private void closeIfIdle() {
        if (here.isEmpty() && holder != null) {
            try (Connection idle = holder;
                    PreparedStatement unlock = idle.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                unlock.execute();
            } catch (SQLException e) {
                log.warn("Cannot return the job lock connection cleanly", e);
            }
            holder = null;
        }
    }

    /** A broken connection has lost its locks with its session: runs still going on are no longer seen elsewhere. */
    private void discard() {
        if (holder != null) {
            try {
                holder.close();
            } catch (SQLException e) {
                log.debug("Closing a broken job lock connection", e);
            }
            holder = null;
        }
    }
}
