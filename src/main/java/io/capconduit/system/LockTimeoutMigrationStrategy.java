package io.capconduit.system;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Component;

/**
 * Runs Flyway's migrations so that they can neither stall live traffic nor fail the start-up on one unlucky lock.
 * A migration's DDL needs strong table locks; waiting behind a long transaction it would make every query of the
 * table (Asterisk's routing functions included) queue behind it, and a deadlock with a routing call would abort it
 * and the start-up with it. So each statement waits at most {@code capconduit.migrations.lock-timeout} for a lock;
 * a migration that gave up waiting, or lost a deadlock, is rolled back whole (PostgreSQL's DDL is transactional)
 * and the migrations are tried again after a back-off, up to {@code attempts} times, before the start-up fails
 * saying which migration and what to do.
 */
@Component
class LockTimeoutMigrationStrategy implements FlywayMigrationStrategy {

    /** lock_not_available (a lock_timeout ran out) and deadlock_detected. */
    private static final String LOCK_TIMEOUT = "55P03";
    private static final String DEADLOCK = "40P01";
    /** The pause after the first failed try; it doubles after each. */
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(LockTimeoutMigrationStrategy.class);

    private final MigrationProperties properties;

    LockTimeoutMigrationStrategy(MigrationProperties properties) {
        this.properties = properties;
    }

    @Override
    public void migrate(Flyway flyway) {
        Flyway patient = Flyway.configure(flyway.getConfiguration().getClassLoader())
                .configuration(flyway.getConfiguration())
                .dataSource(withLockTimeout(flyway.getConfiguration().getDataSource(), properties.lockTimeout()))
                .load();
        int attempts = Math.max(1, properties.attempts());
        for (int attempt = 1; ; attempt++) {
            try {
                patient.migrate();
                return;
            }
            catch (FlywayException ex) {
                String conflict = lockConflict(ex);
                if (conflict == null) {
                    throw ex;
                }
                String migration = migration(ex);
                if (attempt >= attempts) {
                    throw new MigrationLockException("Database migration " + migration + " could not be applied: "
                            + conflict + " in each of " + attempts + " attempts. Another transaction holds locks on "
                            + "the tables it changes (live routing traffic, another application instance, or a long "
                            + "transaction: see pg_stat_activity). Nothing of it was applied; start again at a quieter "
                            + "moment, or raise capconduit.migrations.lock-timeout (now " + properties.lockTimeout()
                            .toMillis() + " ms) or capconduit.migrations.attempts.", ex);
                }
                Duration pause = backoff(attempt);
                log.warn("Database migration {}: {}; rolled back, trying again in {} ms (attempt {} of {})", migration,
                        conflict, pause.toMillis(), attempt + 1, attempts);
                sleep(pause);
            }
        }
    }

    private Duration backoff(int failures) {
        return Backoff.doubling(FIRST_BACKOFF, failures - 1, properties.maxBackoff());
    }

    /** What the lock conflict was, or null for any other failure (which is not retried). */
    private String lockConflict(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                if (LOCK_TIMEOUT.equals(sql.getSQLState())) {
                    return "it waited longer than " + properties.lockTimeout().toMillis() + " ms for a lock";
                }
                if (DEADLOCK.equals(sql.getSQLState())) {
                    return "it was chosen as the victim of a deadlock";
                }
            }
        }
        return null;
    }

    private static String migration(FlywayException ex) {
        if (ex instanceof FlywayMigrateException failed && failed.getMigration() != null) {
            MigrationInfo info = failed.getMigration();
            return (info.getVersion() == null ? "" : "V" + info.getVersion() + " ") + "(" + info.getScript() + ")";
        }
        return "(unknown)";
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new FlywayException("Interrupted while waiting to retry the database migrations", ex);
        }
    }

    /**
     * The data source, its connections waiting at most {@code timeout} for any lock; each connection's own setting
     * comes back when Flyway returns it, so the pool's later users wait as long as ever.
     */
    static DataSource withLockTimeout(DataSource dataSource, Duration timeout) {
        String set = "SET lock_timeout = " + Math.max(1, timeout.toMillis());
        return new DelegatingDataSource(dataSource) {
            @Override
            public Connection getConnection() throws SQLException {
                return limited(super.getConnection(), set);
            }

            @Override
            public Connection getConnection(String username, String password) throws SQLException {
                return limited(super.getConnection(username, password), set);
            }
        };
    }

    private static Connection limited(Connection connection, String set) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(set);
        }
        catch (SQLException ex) {
            connection.close();
            throw ex;
        }
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("close") && method.getParameterCount() == 0) {
                reset(connection);
            }
            try {
                return method.invoke(connection, args);
            }
            catch (InvocationTargetException ex) {
                throw ex.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(LockTimeoutMigrationStrategy.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
    }

    private static void reset(Connection connection) {
        try {
            if (!connection.isClosed()) {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("RESET lock_timeout");
                }
            }
        }
        catch (SQLException ex) {
            log.debug("Could not reset lock_timeout on a migration connection", ex);
        }
    }

    /** The migrations met locks they could not take; the message says which migration and what to change. */
    static class MigrationLockException extends FlywayException {
        MigrationLockException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
