package io.capconduit.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * Tables held ACCESS EXCLUSIVE by a transaction of the test's own, as by a migration still running: any query that
 * reads them waits until {@link #close}, so a statement timeout is reached every time without changing the query.
 */
public final class HeldTableLocks implements AutoCloseable {

    private final Connection holder;

    private HeldTableLocks(Connection holder) {
        this.holder = holder;
    }

    /** Locks {@code tables} (names the test chooses, never input) until {@link #close}. */
    public static HeldTableLocks take(DataSource dataSource, String... tables) throws SQLException {
        Connection holder = dataSource.getConnection();
        try (Statement lock = holder.createStatement()) {
            holder.setAutoCommit(false);
            lock.execute("LOCK TABLE " + String.join(", ", tables) + " IN ACCESS EXCLUSIVE MODE");
            return new HeldTableLocks(holder);
        }
        catch (SQLException | RuntimeException ex) {
            holder.close();
            throw ex;
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            holder.rollback();
        }
        finally {
            holder.setAutoCommit(true);
            holder.close();
        }
    }
}
