package io.capconduit.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL's LISTEN/NOTIFY for this app instance: a NOTIFY sent by any instance (or by a trigger) reaches the
 * subscribers of every instance. One dedicated connection outside the pool, whatever the number of subscribers,
 * read on a thread of its own. When it drops, it reconnects with back-off and then tells every subscriber that it
 * may have missed notifications ({@link Notification#missedSome()}), so they re-read what they follow.
 */
@Component
public class PostgresNotifications implements SmartLifecycle {

    /** The listening connection's {@code application_name} in {@code pg_stat_activity}. */
    public static final String APPLICATION_NAME = "capconduit-notifications";

    private static final Logger log = LoggerFactory.getLogger(PostgresNotifications.class);
    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** How long one read waits for notifications; also how soon a new channel is listened to and a stop seen. */
    private static final int READ_MILLIS = 500;
    /** A connection silent this long is checked, so a dead peer is noticed even without a reset. */
    private static final long CHECK_SILENT_NANOS = Duration.ofSeconds(30).toNanos();
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(10);

    /**
     * One notification: its payload, or none with {@code missedSome} when the connection was (re)established and
     * notifications sent meanwhile may be lost.
     */
    public record Notification(String payload, boolean missedSome) {
    }

    private final DataSource dataSource;
    private final Map<String, Sinks.Many<Notification>> channels = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread reader;

    PostgresNotifications(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The notifications of a channel (a lower-case SQL identifier) from now on. Hot: nothing is replayed, and a
     * subscriber that cannot keep up loses notifications, so subscribers coalesce them (they carry ids to re-read).
     */
    public Flux<Notification> channel(String name) {
        if (!CHANNEL.matcher(name).matches()) {
            throw new IllegalArgumentException("not a channel name: " + name);
        }
        return channels.computeIfAbsent(name, n -> Sinks.many().multicast().directBestEffort()).asFlux();
    }

    @Override
    public synchronized void start() {
        running = true;
        reader = new Thread(this::readUntilStopped, "pg-notifications");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void stop() {
        Thread thread;
        synchronized (this) {
            running = false;
            thread = reader;
            reader = null;
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(READ_MILLIS * 4L);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void readUntilStopped() {
        int failures = 0;
        while (running) {
            try (Connection connection = connect()) {
                if (failures > 0) {
                    log.info("Listening for database notifications again after {} failed attempt(s)", failures);
                }
                failures = 0;
                read(connection);
            }
            catch (SQLException | RuntimeException ex) {
                if (!running) {
                    break;
                }
                Duration wait = Backoff.doubling(FIRST_RETRY, failures++, MAX_RETRY);
                log.warn("Database notifications: connection lost or refused ({}); trying again in {} ms",
                        ex.getMessage(), wait.toMillis());
                try {
                    Thread.sleep(wait.toMillis());
                }
                catch (InterruptedException interrupted) {
                    // stop() interrupts; running says whether to go on
                }
            }
        }
    }

    private void read(Connection connection) throws SQLException {
        PGConnection notifications = connection.unwrap(PGConnection.class);
        Set<String> listening = new HashSet<>();
        long lastHeard = System.nanoTime();
        while (running) {
            for (String channel : channels.keySet()) {
                if (listening.add(channel)) {
                    try (Statement listen = connection.createStatement()) {
                        listen.execute("LISTEN " + channel);   // a checked identifier: LISTEN takes no parameter
                    }
                    // whatever was sent before this LISTEN (before a reconnect, say) is lost: its subscribers re-read
                    channels.get(channel).tryEmitNext(new Notification(null, true));
                }
            }
            PGNotification[] received = notifications.getNotifications(READ_MILLIS);
            if (received != null && received.length > 0) {
                lastHeard = System.nanoTime();
                for (PGNotification notification : received) {
                    Sinks.Many<Notification> sink = channels.get(notification.getName());
                    if (sink != null) {
                        sink.tryEmitNext(new Notification(notification.getParameter(), false));
                    }
                }
            }
            else if (System.nanoTime() - lastHeard > CHECK_SILENT_NANOS) {
                try (Statement check = connection.createStatement()) {
                    check.execute("SELECT 1");
                }
                lastHeard = System.nanoTime();
            }
        }
    }

    /** A connection of its own, not the pool's: it is held for good, and the pool's are retired and replaced. */
    private Connection connect() throws SQLException {
        if (dataSource.isWrapperFor(HikariDataSource.class)) {
            HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
            if (pool.getJdbcUrl() != null) {
                Properties properties = new Properties();
                properties.putAll(pool.getDataSourceProperties());
                if (pool.getUsername() != null) {
                    properties.setProperty("user", pool.getUsername());
                }
                if (pool.getPassword() != null) {
                    properties.setProperty("password", pool.getPassword());
                }
                properties.setProperty("ApplicationName", APPLICATION_NAME);
                properties.setProperty("tcpKeepAlive", "true");
                Connection connection = new org.postgresql.Driver().connect(pool.getJdbcUrl(), properties);
                if (connection != null) {
                    connection.setAutoCommit(true);
                    return connection;
                }
            }
        }
        Connection connection = dataSource.getConnection();
        try (Statement name = connection.createStatement()) {
            connection.setAutoCommit(true);
            name.execute("SET application_name = '" + APPLICATION_NAME + "'");
        }
        catch (SQLException ex) {
            connection.close();
            throw ex;
        }
        return connection;
    }
}
