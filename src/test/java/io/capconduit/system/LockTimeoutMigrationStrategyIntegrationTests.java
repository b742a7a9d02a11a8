package io.capconduit.system;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.capconduit.support.IntegrationTest;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Migrations at start-up share the database with live traffic: one waiting for a table lock gives way after the lock
 * timeout (queries of the table do not queue behind it), is rolled back and tried again, and one that never gets its
 * locks fails the start-up saying which migration and what to change, having applied nothing.
 */
@IntegrationTest
class LockTimeoutMigrationStrategyIntegrationTests {

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    FlywayMigrationStrategy strategy;

    @Test
    void theApplicationMigratesThroughIt() {
        assertThat(strategy).isInstanceOf(LockTimeoutMigrationStrategy.class);
    }

    @Test
    void aMigrationWaitingForALockGivesWayToTrafficAndIsTriedAgainUntilItGetsIt() throws Exception {
        String schema = schemaWithHeldTable();
        LockTimeoutMigrationStrategy patient = new LockTimeoutMigrationStrategy(
                new MigrationProperties(Duration.ofMillis(200), 50, Duration.ofMillis(200)));
        CompletableFuture<Void> migrating;
        try (Connection longTransaction = dataSource.getConnection()) {
            longTransaction.setAutoCommit(false);
            try (Statement s = longTransaction.createStatement()) {
                s.executeQuery("SELECT * FROM " + schema + ".held").close();
            }
            migrating = CompletableFuture.runAsync(() -> patient.migrate(flyway(schema, null)));
            Thread.sleep(500);   // the migration is waiting for its lock, or between tries

            // traffic reading the table (as routing reads its tables) waits at most the lock timeout, never until
            // the long transaction ends
            try (Connection traffic = dataSource.getConnection(); Statement s = traffic.createStatement()) {
                s.execute("SET statement_timeout = 1500");
                try {
                    for (int i = 0; i < 5; i++) {
                        s.executeQuery("SELECT count(*) FROM " + schema + ".held").close();
                        Thread.sleep(100);
                    }
                }
                finally {
                    s.execute("RESET statement_timeout");
                }
            }
            assertThat(migrating).isNotDone();
            longTransaction.commit();
        }
        migrating.get(30, TimeUnit.SECONDS);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM information_schema.columns WHERE table_schema = ? "
                + "AND table_name = 'held' AND column_name = 'added'", Integer.class, schema)).isOne();
    }

    @Test
    void aMigrationThatNeverGetsItsLocksFailsNamingItselfAndTheSettingAndAppliesNothing() throws Exception {
        String schema = schemaWithHeldTable();
        LockTimeoutMigrationStrategy patient = new LockTimeoutMigrationStrategy(
                new MigrationProperties(Duration.ofMillis(100), 2, Duration.ofMillis(100)));
        try (Connection longTransaction = dataSource.getConnection()) {
            longTransaction.setAutoCommit(false);
            try (Statement s = longTransaction.createStatement()) {
                s.executeQuery("SELECT * FROM " + schema + ".held").close();
            }
            CompletableFuture<Void> migrating = CompletableFuture.runAsync(() -> patient.migrate(flyway(schema, null)));
            assertThatThrownBy(() -> migrating.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(java.util.concurrent.ExecutionException.class).cause()
                    .isInstanceOf(LockTimeoutMigrationStrategy.MigrationLockException.class)
                    .hasMessageContaining("V2 (V2__held_table_new_column.sql)")
                    .hasMessageContaining("in each of 2 attempts")
                    .hasMessageContaining("capconduit.migrations.lock-timeout");
            longTransaction.commit();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM information_schema.columns WHERE table_schema = ? "
                + "AND table_name = 'held' AND column_name = 'added'", Integer.class, schema)).isZero();
        // nothing half-applied to repair: the next start applies it
        patient.migrate(flyway(schema, null));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM " + schema + ".flyway_schema_history WHERE success",
                Integer.class)).isEqualTo(3);   // the schema's creation, V1, V2
    }

    /** The application's Flyway callbacks (the lead import's, before migrating) run as before. */
    @Test
    void theFlywayCallbacksStillRun() {
        String schema = schemaWithHeldTable();
        java.util.concurrent.atomic.AtomicInteger beforeMigrate = new java.util.concurrent.atomic.AtomicInteger();
        org.flywaydb.core.api.callback.Callback counting = new org.flywaydb.core.api.callback.Callback() {
            @Override
            public boolean supports(org.flywaydb.core.api.callback.Event event,
                    org.flywaydb.core.api.callback.Context context) {
                return event == org.flywaydb.core.api.callback.Event.BEFORE_MIGRATE;
            }

            @Override
            public boolean canHandleInTransaction(org.flywaydb.core.api.callback.Event event,
                    org.flywaydb.core.api.callback.Context context) {
                return true;
            }

            @Override
            public void handle(org.flywaydb.core.api.callback.Event event,
                    org.flywaydb.core.api.callback.Context context) {
                beforeMigrate.incrementAndGet();
            }

            @Override
            public String getCallbackName() {
                return "counting";
            }
        };
        Flyway flyway = Flyway.configure().dataSource(dataSource).schemas(schema)
                .locations("classpath:db/lock-timeout-test").callbacks(counting).load();
        new LockTimeoutMigrationStrategy(new MigrationProperties(Duration.ofSeconds(2), 1, Duration.ofSeconds(1)))
                .migrate(flyway);
        assertThat(beforeMigrate).hasValue(1);
    }

    @Test
    void theConnectionsGoBackWithTheirOwnLockTimeout() throws Exception {
        try (Connection pooled = dataSource.getConnection()) {
            DataSource limited = LockTimeoutMigrationStrategy.withLockTimeout(
                    new SingleConnectionDataSource(pooled, true), Duration.ofMillis(1500));
            try (Connection c = limited.getConnection()) {
                assertThat(lockTimeout(c)).isEqualTo("1500ms");
            }
            assertThat(lockTimeout(pooled)).isEqualTo("0");
        }
    }

    private static String lockTimeout(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW lock_timeout")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private String schemaWithHeldTable() {
        String schema = "lock_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        flyway(schema, "1").migrate();
        return schema;
    }

    private Flyway flyway(String schema, String target) {
        var configuration = Flyway.configure().dataSource(dataSource).schemas(schema)
                .locations("classpath:db/lock-timeout-test");
        if (target != null) {
            configuration.target(target);
        }
        return configuration.load();
    }
}
