package io.capconduit.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Supplier;

import org.apache.ibatis.executor.statement.StatementHandler;
import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.Signature;
import org.postgresql.jdbc.PgStatement;

import org.springframework.stereotype.Component;

/**
 * Runs the reads a user asks for (reports, lists) with a limit of {@code capconduit.reports.statement-timeout} on
 * each of their statements: they share the database Asterisk routes live calls with, so a year of a big platform
 * must not hold a connection and a CPU for as long as it likes. The limit is PgJDBC's query timeout, set on each
 * MyBatis statement prepared inside {@link #read} (this class is also the MyBatis plugin that sets it): a timer in
 * the driver that, only when it fires, sends PostgreSQL a cancel request for that statement. It costs no round
 * trip, where a transaction with SET LOCAL statement_timeout cost two per read (about 0.7 ms on a callLogs page,
 * -Dbench=graphql). Never for routing, jobs or the dialer: their statements are prepared outside {@link #read}.
 */
@Component
@Intercepts(@Signature(type = StatementHandler.class, method = "prepare", args = {Connection.class, Integer.class}))
public class TimedReads implements Interceptor {

    /** SQLSTATE query_canceled: the cancel a timed-out statement gets (and a manual one, which we never send). */
    private static final String QUERY_CANCELED = "57014";

    /**
     * PostgreSQL's timeouts (the exports' statement_timeout) are whole milliseconds in an int, 0 turning them off;
     * the reads' driver timeout keeps to the same range.
     */
    private static final Duration LONGEST_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    /** The limit of the read under way on this thread, if any. */
    private static final ThreadLocal<Duration> READING = new ThreadLocal<>();

    private final Duration limit;

    TimedReads(ReadTimeoutProperties properties) {
        this.limit = properties.statementTimeout();
    }

    /** The read's result; {@link QueryTimedOutException} when one of its statements ran past the limit. */
    public <T> T read(Supplier<T> read) {
        Duration outer = READING.get();
        READING.set(limit);
        try {
            return read.get();
        }
        catch (RuntimeException ex) {
            throw timedOut(ex) ? new QueryTimedOutException(limit, "capconduit.reports.statement-timeout", ex) : ex;
        }
        finally {
            if (outer == null) {
                READING.remove();
            }
            else {
                READING.set(outer);
            }
        }
    }

    /** A statement prepared inside {@link #read} gets the read's limit. */
    @Override
    public Object intercept(Invocation invocation) throws Throwable {
        Object prepared = invocation.proceed();
        Duration reading = READING.get();
        if (reading != null && prepared instanceof Statement statement) {
            statement.unwrap(PgStatement.class).setQueryTimeoutMs(reading.toMillis());
        }
        return prepared;
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

    /** Whether {@code timeout} is one PostgreSQL takes: from 1 ms to Integer.MAX_VALUE ms (24 days). */
    public static boolean validTimeout(Duration timeout) {
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
