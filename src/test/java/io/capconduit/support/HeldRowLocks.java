package io.capconduit.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rows held locked by a transaction of the test's own, as by a mutation still in flight. Mutations queued
 * behind it start one at a time, each once the one before waits, so they run in a known order when the
 * rows are let go.
 */
public final class HeldRowLocks implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);

    // every backend waiting for the holder, directly or behind another waiter
    private static final String QUEUED = """
            WITH RECURSIVE queued (pid) AS (
                SELECT pid FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))
                UNION
                SELECT a.pid FROM pg_stat_activity a JOIN queued q ON q.pid = ANY (pg_blocking_pids(a.pid)))
            SELECT count(*) FROM queued""";

    private final Connection holder;
    private final int holderPid;
    private final JdbcTemplate jdbc;
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final List<Future<?>> queued = new ArrayList<>();

    private HeldRowLocks(Connection holder, int holderPid, JdbcTemplate jdbc) {
        this.holder = holder;
        this.holderPid = holderPid;
        this.jdbc = jdbc;
    }

    /** Runs {@code lockingSql} (a SELECT ... FOR UPDATE) in a transaction left open until {@link #release}. */
    public static HeldRowLocks take(DataSource dataSource, String lockingSql, Object... args) throws SQLException {
        Connection holder = dataSource.getConnection();
        try {
            holder.setAutoCommit(false);
            int pid;
            try (PreparedStatement statement = holder.prepareStatement("SELECT pg_backend_pid()");
                    ResultSet rows = statement.executeQuery()) {
                rows.next();
                pid = rows.getInt(1);
            }
            try (PreparedStatement lock = holder.prepareStatement(lockingSql)) {
                for (int i = 0; i < args.length; i++) {
                    lock.setObject(i + 1, args[i]);
                }
                try (ResultSet rows = lock.executeQuery()) {
                    if (!rows.next()) {
                        throw new IllegalArgumentException("locked no row: " + lockingSql);
                    }
                }
            }
            return new HeldRowLocks(holder, pid, new JdbcTemplate(dataSource));
        }
        catch (SQLException | RuntimeException ex) {
            holder.rollback();
            holder.close();
            throw ex;
        }
    }

    /** Starts {@code mutation} on a thread of its own; returns once it waits behind the held rows. */
    public void queue(Runnable mutation) {
        Future<?> started = callers.submit(mutation);
        queued.add(started);
        int expected = queued.size();
        Eventually.await(expected + " mutation(s) waiting behind the held rows", WAIT, () -> {
            if (started.isDone()) {
                awaitDone(started);   // it did not wait at all: its failure says why
                throw new AssertionError("the mutation ran without waiting for the held rows");
            }
            return jdbc.queryForObject(QUEUED, Integer.class, holderPid) == expected;
        });
    }

    /** Commits the holding transaction and waits for every queued mutation, failing with the first failure. */
    public void release() throws SQLException {
        holder.commit();
        for (Future<?> mutation : queued) {
            awaitDone(mutation);
        }
    }

    @Override
    public void close() throws SQLException {
        callers.shutdownNow();
        try {
            holder.rollback();
        }
        finally {
            holder.close();
        }
    }

    private static void awaitDone(Future<?> mutation) {
        try {
            mutation.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        catch (ExecutionException ex) {
            throw ex.getCause() instanceof Error error ? error : new AssertionError(ex.getCause());
        }
        catch (Exception ex) {
            throw new AssertionError("a queued mutation did not finish", ex);
        }
    }
}
