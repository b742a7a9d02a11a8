package io.capconduit.routing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;

import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claims from many callers at once, each on its own connection as from many Asterisk servers: the caps are
 * exact because the claim locks the setting row.
 */
@IntegrationTest
class RouteClaimConcurrencyIntegrationTests {

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    HikariDataSource asteriskConnections;
    FuncOdbc odbc;
    RoutingFixtures fixtures;

    @BeforeEach
    void setUp() throws Exception {
        HikariDataSource app = dataSource.unwrap(HikariDataSource.class);
        asteriskConnections = new HikariDataSource();
        asteriskConnections.setJdbcUrl(app.getJdbcUrl());
        asteriskConnections.setUsername(app.getUsername());
        asteriskConnections.setPassword(app.getPassword());
        asteriskConnections.setMaximumPoolSize(50);
        odbc = new FuncOdbc(asteriskConnections);
        fixtures = new RoutingFixtures(jdbc);
    }

    @AfterEach
    void tearDown() {
        asteriskConnections.close();
    }

    @Test
    void twoHundredSimultaneousClaimsOnMaxConcurrentTenLetExactlyTenThrough() throws Exception {
        var campaign = fixtures.campaign("PRIORITY");
        long setting = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1, 10, null, "DAY");
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger claimed = new AtomicInteger();

        runConcurrently(200, 200, i -> {
            start.await();
            if ("CLAIMED".equals(odbc.value("ODBC_ROUTE_CLAIM", "conc-" + setting + "-" + i, "" + setting))) {
                claimed.incrementAndGet();
            }
        }, start);

        assertThat(claimed).hasValue(10);
        assertThat(fixtures.inFlight(setting)).isEqualTo(10);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM route_claims WHERE setting_id = ? AND released_at IS NULL",
                Integer.class, setting)).isEqualTo(10);
    }

    @Test
    void aTotalCapOfFiftyCountsExactlyFiftyAnsweredCallsOverAThousandCycles() throws Exception {
        var campaign = fixtures.campaign("PRIORITY");
        long setting = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1, 20, 50, "TOTAL");
        AtomicInteger answered = new AtomicInteger();

        runConcurrently(16, 1000, i -> {
            String uid = "cap-" + setting + "-" + i;
            if (!"CLAIMED".equals(odbc.value("ODBC_ROUTE_CLAIM", uid, "" + setting))) {
                return;
            }
            if (i % 3 == 0) {   // the buyer did not answer: the reservation goes back
                odbc.value("ODBC_ROUTE_RELEASE", uid, "NOANSWER");
                return;
            }
            if ("ANSWERED".equals(odbc.value("ODBC_ROUTE_ANSWER", uid))) {
                answered.incrementAndGet();
            }
            odbc.value("ODBC_ROUTE_RELEASE", uid, "HANGUP");
        }, null);

        assertThat(answered).hasValue(50);
        assertThat(fixtures.capUsed(setting)).isEqualTo(50);
        assertThat(fixtures.inFlight(setting)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM route_claims WHERE setting_id = ? AND status = 'ANSWERED'",
                Integer.class, setting)).isEqualTo(50);
    }

    /**
     * The last units of an hourly, daily or monthly cap whose window has just rolled (the previous window used it
     * up, and no claim or reset has rolled it yet), claimed from 40 connections at once: the first claim rolls the
     * window, the others wait for its row and count in the new window, so exactly the cap gets through and the
     * window is rolled once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"HOUR", "DAY", "MONTH"})
    void callsRacingForAFreshWindowTakeExactlyItsCap(String period) throws Exception {
        // a zone whose windows do not turn during the test: New York's at :00 UTC, Kolkata's at :30
        int minute = jdbc.queryForObject("SELECT extract(minute FROM now() AT TIME ZONE 'UTC')::int", Integer.class);
        String zone = minute >= 5 && minute < 50 ? "America/New_York" : "Asia/Kolkata";
        var campaign = fixtures.campaign("PRIORITY");
        long setting = fixtures.setting(campaign.id(), fixtures.client(zone), 1, 1, 1000, 5, period);
        jdbc.update("UPDATE campaign_client_settings SET cap_used = 5, cap_window_start = "
                + "cap_window_start(cap_period, client_time_zone, now()) - interval '40 days' WHERE id = ?", setting);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger claimed = new AtomicInteger();

        runConcurrently(40, 40, i -> {
            start.await();
            String uid = "fresh-" + setting + "-" + i;
            if ("CLAIMED".equals(odbc.value("ODBC_ROUTE_CLAIM", uid, "" + setting))) {
                claimed.incrementAndGet();
                odbc.value("ODBC_ROUTE_ANSWER", uid);
            }
        }, start);

        assertThat(claimed).hasValue(5);
        assertThat(jdbc.queryForMap("SELECT cap_used, reserved, in_flight, cap_window_start = cap_window_start(cap_period, "
                + "client_time_zone, now()) AS current FROM campaign_client_settings WHERE id = ?", setting))
                .containsEntry("cap_used", 5).containsEntry("reserved", 0).containsEntry("in_flight", 5)
                .containsEntry("current", true);
    }

    /**
     * A call's first round trip may try several buyers, all in one transaction. A buyer found full must not stay
     * locked while the next one is tried: two calls trying the same full buyers in opposite orders (WEIGHTED
     * orders are random) would wait for each other, and the database would end one of them (a deadlock).
     */
    @Test
    void aBuyerFoundFullIsNotKeptLockedWhileTheCallTriesTheNext() throws Exception {
        var campaign = fixtures.campaign("PRIORITY");
        long filling = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1, 1, null, "DAY");
        long next = fixtures.setting(campaign.id(), fixtures.client("UTC"), 2, 1, 1, null, "DAY");
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Connection other = asteriskConnections.getConnection();
             Connection third = asteriskConnections.getConnection()) {
            other.setAutoCommit(false);
            third.setAutoCommit(false);
            // another call takes the first buyer's last slot, and commits while this call waits for the row
            execute(other, "UPDATE campaign_client_settings SET in_flight = 1 WHERE id = " + filling);
            Future<List<List<String>>> call = caller.submit(
                    () -> odbc.fetchAll("ODBC_ROUTE_CALL", campaign.did(), "lock-" + campaign.id()));
            awaitCallBlockedBy(other);
            execute(third, "SELECT id FROM campaign_client_settings WHERE id = " + next + " FOR UPDATE");
            other.commit();
            // the call found the first buyer full and waits for the next one, which the third party holds
            awaitCallBlockedBy(third);

            // the full buyer is not locked any more: a call that tried the buyers the other way round gets it
            execute(third, "SELECT id FROM campaign_client_settings WHERE id = " + filling + " FOR UPDATE NOWAIT");
            third.commit();

            assertThat(call.get(10, TimeUnit.SECONDS)).extracting(row -> row.get(7)).containsExactly("" + next);
            assertThat(List.of(fixtures.inFlight(filling), fixtures.inFlight(next))).containsExactly(1, 1);
        }
        finally {
            caller.shutdownNow();
        }
    }

    /** Both buyers fill up while the call waits for the first: one row without a buyer, and nothing held. */
    @Test
    void whenEveryBuyerFillsUpDuringTheFirstRoundTripTheCallHoldsNothing() throws Exception {
        var campaign = fixtures.campaign("PRIORITY");
        long first = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1, 1, null, "DAY");
        long second = fixtures.setting(campaign.id(), fixtures.client("UTC"), 2, 1, 1, null, "DAY");
        String uid = "filled-" + campaign.id();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Connection other = asteriskConnections.getConnection()) {
            other.setAutoCommit(false);
            execute(other, "UPDATE campaign_client_settings SET in_flight = 1 WHERE id IN (" + first + ", " + second + ")");
            Future<List<List<String>>> call = caller.submit(() -> odbc.fetchAll("ODBC_ROUTE_CALL", campaign.did(), uid));
            awaitCallBlockedBy(other);
            other.commit();

            assertThat(call.get(10, TimeUnit.SECONDS)).singleElement()
                    .satisfies(row -> assertThat(row.subList(7, 10)).containsOnly(""));
        }
        finally {
            caller.shutdownNow();
        }
        assertThat(List.of(fixtures.inFlight(first), fixtures.inFlight(second))).containsExactly(1, 1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM route_claims WHERE call_uid = ?", Integer.class, uid))
                .isZero();
    }

    /** A buyer whose row stays locked past the database's lock_timeout is skipped; the next one gets the call. */
    @Test
    void aBuyerLockedPastTheLockTimeoutIsSkippedNotTheWholeCall() throws Exception {
        var campaign = fixtures.campaign("PRIORITY");
        long locked = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1, 5, null, "DAY");
        long next = fixtures.setting(campaign.id(), fixtures.client("UTC"), 2, 1, 5, null, "DAY");
        HikariDataSource impatient = new HikariDataSource();
        impatient.setJdbcUrl(asteriskConnections.getJdbcUrl());
        impatient.setUsername(asteriskConnections.getUsername());
        impatient.setPassword(asteriskConnections.getPassword());
        impatient.setConnectionInitSql("SET lock_timeout = '200ms'");
        try (impatient; Connection other = asteriskConnections.getConnection()) {
            other.setAutoCommit(false);
            execute(other, "SELECT id FROM campaign_client_settings WHERE id = " + locked + " FOR UPDATE");

            List<List<String>> rows = new FuncOdbc(impatient).fetchAll("ODBC_ROUTE_CALL", campaign.did(),
                    "impatient-" + campaign.id());

            assertThat(rows).extracting(row -> row.get(7)).containsExactly("" + next);
            other.rollback();
        }
        assertThat(List.of(fixtures.inFlight(locked), fixtures.inFlight(next))).containsExactly(0, 1);
    }

    /** Calls starting at once, each trying the buyers in its own random order, take exactly every slot. */
    @Test
    void twoHundredCallsStartingAtOnceTakeExactlyEverySlotOfTheirBuyers() throws Exception {
        var campaign = fixtures.campaign("WEIGHTED");
        List<Long> settings = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            settings.add(fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1 + i, 5, null, "DAY"));
        }
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger claimed = new AtomicInteger();

        runConcurrently(50, 200, i -> {
            start.await();
            List<String> first = odbc.fetchAll("ODBC_ROUTE_CALL", campaign.did(), "start-" + campaign.id() + "-" + i)
                    .get(0);
            if (!first.get(7).isEmpty()) {
                claimed.incrementAndGet();
            }
        }, start);

        assertThat(claimed).hasValue(20);
        assertThat(settings).allSatisfy(setting -> assertThat(fixtures.inFlight(setting)).isEqualTo(5));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM route_claims WHERE call_uid LIKE ? AND status = 'CLAIMED'",
                Integer.class, "start-" + campaign.id() + "-%")).isEqualTo(20);
    }

    /**
     * ROUND_ROBIN offers a call to the buyer routed least recently. A call whose round trip overlaps an earlier
     * one's (several Asterisk servers, or one busy one) read the turn order before the earlier call's claim was
     * committed, and took the same buyer: the earlier claim's row lock only made it wait, then let it through.
     */
    @Test
    void aRoundRobinCallOverlappingAnEarlierOneGoesToTheNextBuyer() throws Exception {
        var campaign = fixtures.campaign("ROUND_ROBIN");
        long first = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        long second = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Connection earlier = asteriskConnections.getConnection()) {
            // the earlier call's round trip, claimed and not committed yet
            earlier.setAutoCommit(false);
            assertThat(firstBuyer(earlier, odbc.sql("ODBC_ROUTE_CALL", campaign.did(), "rr-earlier-" + campaign.id())))
                    .isEqualTo("" + first);
            Future<List<List<String>>> call = caller.submit(
                    () -> odbc.fetchAll("ODBC_ROUTE_CALL", campaign.did(), "rr-later-" + campaign.id()));
            awaitCallBlockedBy(earlier);
            earlier.commit();

            assertThat(call.get(10, TimeUnit.SECONDS).get(0).get(7)).isEqualTo("" + second);
        }
        finally {
            caller.shutdownNow();
        }
        assertThat(List.of(fixtures.inFlight(first), fixtures.inFlight(second))).containsExactly(1, 1);
    }

    /** A ROUND_ROBIN call that waits past the lock_timeout for the calls before it is routed all the same. */
    @Test
    void aRoundRobinCallWaitingPastTheLockTimeoutIsStillRouted() throws Exception {
        var campaign = fixtures.campaign("ROUND_ROBIN");
        long buyer = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        HikariDataSource impatient = new HikariDataSource();
        impatient.setJdbcUrl(asteriskConnections.getJdbcUrl());
        impatient.setUsername(asteriskConnections.getUsername());
        impatient.setPassword(asteriskConnections.getPassword());
        impatient.setConnectionInitSql("SET lock_timeout = '200ms'");
        try (impatient; Connection earlier = asteriskConnections.getConnection()) {
            earlier.setAutoCommit(false);
            firstBuyer(earlier, odbc.sql("ODBC_ROUTE_CALL", campaign.did(), "rr-slow-" + campaign.id()));

            List<List<String>> rows = new FuncOdbc(impatient).fetchAll("ODBC_ROUTE_CALL", campaign.did(),
                    "rr-impatient-" + campaign.id());

            // the earlier call still holds the buyer's row: this one is not claimed, and not refused as an error
            assertThat(rows).singleElement().satisfies(row -> assertThat(row.get(0)).isEqualTo("ROUTED"));
            earlier.rollback();
        }
        assertThat(fixtures.inFlight(buyer)).isZero();
    }

    /**
     * A failover claim (ODBC_ROUTE_CLAIM, the next buyer of a call whose first one did not answer) moves its buyer to
     * the end of the ROUND_ROBIN order as a first claim does. A call whose round trip overlapped it read the order
     * before the failover claim was committed, and took the same buyer out of turn.
     */
    @Test
    void aRoundRobinCallOverlappingAFailoverClaimGoesToTheBuyerAfterIt() throws Exception {
        var campaign = fixtures.campaign("ROUND_ROBIN");
        long first = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        long second = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        long third = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        String failing = "rr-failover-" + campaign.id();
        // a call rang the first buyer, which did not answer
        assertThat(odbc.fetchAll("ODBC_ROUTE_CALL", campaign.did(), failing).get(0).get(7)).isEqualTo("" + first);
        odbc.value("ODBC_ROUTE_RELEASE", failing, "NOANSWER");
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Connection failover = asteriskConnections.getConnection()) {
            // its failover claim of the next buyer, not committed yet
            failover.setAutoCommit(false);
            assertThat(firstValue(failover, odbc.sql("ODBC_ROUTE_CLAIM", failing, "" + second))).isEqualTo("CLAIMED");
            Future<List<List<String>>> call = caller.submit(
                    () -> odbc.fetchAll("ODBC_ROUTE_CALL", campaign.did(), "rr-after-failover-" + campaign.id()));
            awaitCallBlockedBy(failover);
            failover.commit();

            assertThat(call.get(10, TimeUnit.SECONDS).get(0).get(7)).isEqualTo("" + third);
        }
        finally {
            caller.shutdownNow();
        }
        assertThat(List.of(fixtures.inFlight(first), fixtures.inFlight(second), fixtures.inFlight(third)))
                .containsExactly(0, 1, 1);
    }

    /** A ROUND_ROBIN failover claim that waits past the lock_timeout for the calls before it claims all the same. */
    @Test
    void aRoundRobinFailoverClaimWaitingPastTheLockTimeoutStillClaims() throws Exception {
        var campaign = fixtures.campaign("ROUND_ROBIN");
        long buyer = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        HikariDataSource impatient = new HikariDataSource();
        impatient.setJdbcUrl(asteriskConnections.getJdbcUrl());
        impatient.setUsername(asteriskConnections.getUsername());
        impatient.setPassword(asteriskConnections.getPassword());
        impatient.setConnectionInitSql("SET lock_timeout = '200ms'");
        try (impatient; Connection turn = asteriskConnections.getConnection()) {
            turn.setAutoCommit(false);
            holdTurnLock(turn, campaign.id());

            assertThat(new FuncOdbc(impatient).value("ODBC_ROUTE_CLAIM", "rr-impatient-failover-" + campaign.id(),
                    "" + buyer)).isEqualTo("CLAIMED");
            turn.rollback();
        }
        assertThat(fixtures.inFlight(buyer)).isEqualTo(1);
    }

    /**
     * PRIORITY and WEIGHTED orders do not depend on the calls before: their failover claims never wait for the
     * campaign's turn (here held by another session for as long as the test runs).
     */
    @ParameterizedTest
    @ValueSource(strings = { "PRIORITY", "WEIGHTED" })
    void failoverClaimsOfOtherStrategiesDoNotWaitForTheTurn(String strategy) throws Exception {
        var campaign = fixtures.campaign(strategy);
        long buyer = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Connection turn = asteriskConnections.getConnection()) {
            turn.setAutoCommit(false);
            holdTurnLock(turn, campaign.id());

            Future<String> claim = caller.submit(
                    () -> odbc.value("ODBC_ROUTE_CLAIM", "other-failover-" + campaign.id(), "" + buyer));

            assertThat(claim.get(10, TimeUnit.SECONDS)).isEqualTo("CLAIMED");
            turn.rollback();
        }
        finally {
            caller.shutdownNow();
        }
    }

    /** The lock ROUND_ROBIN calls of a campaign take turns with (V9_54_0: class 'RTRR', hashint8 of the campaign). */
    private static void holdTurnLock(Connection connection, long campaign) throws SQLException {
        execute(connection, "SELECT pg_advisory_xact_lock(1381257810, hashint8(" + campaign + "))");
    }

    private static String firstValue(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static String firstBuyer(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString("setting_id");
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Waits until the ROUTE_CALL statement in flight waits for a row lock that {@code holder}'s transaction has. */
    private void awaitCallBlockedBy(Connection holder) throws Exception {
        int pid = holder.unwrap(PGConnection.class).getBackendPID();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%FROM route_call(%' "
                + "AND ? = ANY (pg_blocking_pids(pid))", Integer.class, pid) == 0) {
            assertThat(System.nanoTime()).as("the call waits for the row lock of backend %d", pid).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    interface Cycle {
        void run(int i) throws Exception;
    }

    private static void runConcurrently(int threads, int cycles, Cycle cycle, CountDownLatch start) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < cycles; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    cycle.run(n);
                    return null;
                }));
            }
            if (start != null) {
                Thread.sleep(200);   // let the threads line up at the gate
                start.countDown();
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        finally {
            pool.shutdownNow();
        }
    }
}
