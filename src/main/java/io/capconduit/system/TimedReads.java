package io.capconduit.system;

import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs the reads a user asks for (reports, lists) in a read-only transaction whose statements PostgreSQL cancels
 * after {@code capconduit.reports.statement-timeout}: they share the database Asterisk routes live calls with, so
 * a year of a big platform must not hold a connection and a CPU for as long as it likes. The limit is the server's
 * own (SET LOCAL statement_timeout), not the JDBC query timeout, which PgJDBC enforces with a client-side timer
 * and a cancel request over a second connection. Never for routing, jobs or the dialer.
 */
@Component
public class TimedReads {

    /** SQLSTATE query_canceled: PostgreSQL's statement timeout (and a cancel request, which we never send here). */
    private static final String QUERY_CANCELED = "57014";

    /** PostgreSQL's timeouts are whole milliseconds in an int, 0 turning them off. */
    private static final Duration LONGEST_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    private final TransactionTemplate readOnly;
    private final JdbcTemplate jdbc;
    private final Duration limit;

    TimedReads(PlatformTransactionManager transactions, JdbcTemplate jdbc, ReadTimeoutProperties properties) {
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.jdbc = jdbc;
        this.limit = properties.statementTimeout();
    }

    /** The read's result; {@link QueryTimedOutException} when one of its statements ran past the limit. */
    public <T> T read(Supplier<T> read) {
        try {
            return readOnly.execute(status -> {
                jdbc.queryForObject("SELECT set_config('statement_timeout', ?, true)", String.class,
                        Long.toString(limit.toMillis()));
                return read.get();
            });
        }
        catch (RuntimeException ex) {
            throw timedOut(ex) ? new QueryTimedOutException(limit, "capconduit.reports.statement-timeout", ex) : ex;
        }
    }

    /** Whether PostgreSQL cancelled the statement behind {@code ex} (its statement timeout, in our reads). */
    public static boolean timedOut(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && QUERY_CANCELED.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static boolean validTimeout(Duration timeout) {
        return timeout != null && timeout.compareTo(LONGEST_TIMEOUT) <= 0 && timeout.toMillis() >= 1;
    }

    /** A limit as an operator writes it: 30s, 5m, 1500ms. */
    static String describe(Duration limit) {
        if (limit.toMillis() % 60_000 == 0) {
            return limit.toMinutes() + "m";
        }
        return limit.toMillis() % 1000 == 0 ? limit.toSeconds() + "s" : limit.toMillis() + "ms";
    }
}
