package io.capconduit.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
