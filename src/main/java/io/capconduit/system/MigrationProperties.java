package io.capconduit.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How Flyway's migrations share the database with live traffic at start-up ({@link LockTimeoutMigrationStrategy}).
 *
 * @param lockTimeout longest a migration statement waits for a lock (PostgreSQL's {@code lock_timeout}): while it
 *                    waits for a table, every query of that table (Asterisk's routing included) queues behind it
 * @param attempts    how many times the migrations are tried when one gave up waiting for a lock or was chosen as
 *                    a deadlock's victim; each failed try is rolled back whole
 * @param maxBackoff  longest pause between tries (the first is 1 s, then doubling)
 */
@ConfigurationProperties("capconduit.migrations")
public record MigrationProperties(@DefaultValue("2s") Duration lockTimeout, @DefaultValue("10") int attempts,
        @DefaultValue("30s") Duration maxBackoff) {
}
