package io.capconduit.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which job instances have a thread at work, in this app or in another instance of it. Spring Batch's statuses
 * cannot tell: a stopped execution reads STOPPED while its step still finishes its chunk, and a JVM crash leaves
 * STARTED behind. So a run holds a PostgreSQL advisory lock on its job instance from before it starts to after
 * its last repository update, on one connection this app keeps while any of its jobs runs; a crash releases the
 * locks with the connection. TCP keepalives make PostgreSQL notice a host that died without closing its socket
 * within about a minute, and a check every few seconds takes the locks again on a new connection when the old one
 * was lost while runs go on.
 */
@Component
public class JobInstanceLocks implements DisposableBean {

    /** First key of the advisory lock ("JOBS"); the second is the job instance id. */
    static final int LOCK = 0x4a4f4253;

    /** How often the lock connection is checked while it holds locks. */
    static final long CHECK_SECONDS = 5;

    /**
     * The server probes an idle lock connection after 30 s, then every 10 s, and drops it after 3 unanswered
     * probes: a dead host's locks go after about a minute instead of the kernel's two hours.
     */
    private static final List<String> KEEPALIVES = List.of("SET tcp_keepalives_idle = 30",
            "SET tcp_keepalives_interval = 10", "SET tcp_keepalives_count = 3");

    private static final Logger log = LoggerFactory.getLogger(JobInstanceLocks.class);

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    /** The job instances runs of this app hold, and the connection holding their locks; both guarded by this. */
    private final Set<Long> here = new HashSet<>();
    private Connection holder;
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "job-lock-check");
        thread.setDaemon(true);
        return thread;
    });

    JobInstanceLocks(DataSource dataSource, JdbcTemplate jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        checker.scheduleWithFixedDelay(this::check, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
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
                holder = connect();
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

    /**
     * While runs hold locks, makes sure their connection still lives; one that was lost (a killed backend, a
     * restarted proxy) lost their locks with it, so they are taken again on a new connection. A lock another
     * instance took meanwhile cannot be: that is logged, as its run may now be repeated there.
     */
    synchronized void check() {
        if (here.isEmpty()) {
            return;
        }
        if (holder != null) {
            try (Statement ping = holder.createStatement()) {
                ping.execute("SELECT 1");
                return;
            } catch (SQLException e) {
                log.warn("The job lock connection was lost", e);
                discard();
            }
        }
        // lost here or when a run's release found it broken: the runs still going on hold nothing
        log.warn("Taking the locks of {} running job instances again on a new connection", here.size());
        try {
            holder = connect();
            for (long instanceId : here) {
                if (!lockCall("SELECT pg_try_advisory_lock(?, ?)", instanceId)) {
                    log.error("Job instance {} still runs here, but another app instance took its lock while the "
                            + "lock connection was lost: it may run there too", instanceId);
                }
            }
        } catch (SQLException e) {
            log.warn("Cannot take the job locks again yet; trying again in {} s", CHECK_SECONDS, e);
            discard();
        }
    }

    /**
     * The lock connection's value of a PostgreSQL setting in its base unit (seconds for the keepalives), null while
     * it holds no lock: for diagnostics and tests.
     */
    synchronized String lockConnectionSetting(String name) throws SQLException {
        if (holder == null) {
            return null;
        }
        try (PreparedStatement show = holder.prepareStatement("SELECT setting FROM pg_settings WHERE name = ?")) {
            show.setString(1, name);
            try (ResultSet result = show.executeQuery()) {
                return result.next() ? result.getString(1) : null;
            }
        }
    }

    @Override
    public void destroy() {
        checker.shutdownNow();
    }

    private Connection connect() throws SQLException {
        Connection connection = dataSource.getConnection();
        try (Statement settings = connection.createStatement()) {
            connection.setAutoCommit(true);
            for (String keepalive : KEEPALIVES) {
                settings.execute(keepalive);
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
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

    /** The job instances runs of this app hold now. */
    synchronized Set<Long> heldHere() {
        return Set.copyOf(here);
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
