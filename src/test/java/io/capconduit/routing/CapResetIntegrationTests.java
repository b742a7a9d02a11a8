package io.capconduit.routing;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import io.capconduit.support.HeldRowLocks;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cap windows roll at the client's local boundaries, across both 2026 DST changes in New York. The tests that
 * roll at chosen times run in a transaction of their own (rolled back), so the scheduled capResetJob cannot roll
 * their settings to now meanwhile: windows only roll forward, so March would never come back.
 */
@IntegrationTest
class CapResetIntegrationTests {

    @Autowired
    CapWindowMapper capWindows;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CapResetCatchUp catchUp;

    @Autowired
    DataSource dataSource;

    long hourly;
    long daily;
    long monthly;

    @BeforeEach
    void settingsOfANewYorkClient() {
        String name = "cap-dst-" + UUID.randomUUID();
        long client = jdbc.queryForObject("INSERT INTO clients (name, time_zone, endpoint, sip_host) "
                + "VALUES (?, 'America/New_York', ?, 'sbc.example') RETURNING id", Long.class, name, name);
        hourly = setting(name + "-h", client, "HOUR");
        daily = setting(name + "-d", client, "DAY");
        monthly = setting(name + "-m", client, "MONTH");
    }

    @AfterEach
    void backToNow() {
        rollWindowsAt(null);
    }

    @Test
    @Transactional
    void dailyWindowsStartAtLocalMidnightAcrossTheSpringAndFallChanges() {
        assertRoll(daily, "2026-03-08T04:59:00Z", "2026-03-07T05:00:00Z", true);
        assertRoll(daily, "2026-03-08T04:59:59Z", "2026-03-07T05:00:00Z", false);
        assertRoll(daily, "2026-03-08T05:00:00Z", "2026-03-08T05:00:00Z", true);   // midnight EST
        assertRoll(daily, "2026-03-09T03:59:59Z", "2026-03-08T05:00:00Z", false);  // 23-hour day
        assertRoll(daily, "2026-03-09T04:00:00Z", "2026-03-09T04:00:00Z", true);   // midnight EDT
        assertRoll(daily, "2026-11-01T04:00:00Z", "2026-11-01T04:00:00Z", true);
        assertRoll(daily, "2026-11-02T04:59:59Z", "2026-11-01T04:00:00Z", false);  // 25-hour day
        assertRoll(daily, "2026-11-02T05:00:00Z", "2026-11-02T05:00:00Z", true);
    }

    @Test
    @Transactional
    void hourlyWindowsFollowLocalHoursThroughTheSkippedAndTheRepeatedHour() {
        assertRoll(hourly, "2026-03-08T06:59:00Z", "2026-03-08T06:00:00Z", true);  // 01:59 EST
        assertRoll(hourly, "2026-03-08T07:00:00Z", "2026-03-08T07:00:00Z", true);  // 03:00 EDT
        assertRoll(hourly, "2026-11-01T05:30:00Z", "2026-11-01T05:00:00Z", true);  // 01:30 EDT
        assertRoll(hourly, "2026-11-01T05:59:59Z", "2026-11-01T05:00:00Z", false);
        assertRoll(hourly, "2026-11-01T06:30:00Z", "2026-11-01T06:00:00Z", true);  // 01:30 EST, the repeated hour
    }

    @Test
    @Transactional
    void monthlyWindowsStartOnTheFirstAtLocalMidnight() {
        assertRoll(monthly, "2026-11-01T03:59:59Z", "2026-10-01T04:00:00Z", true);
        assertRoll(monthly, "2026-11-01T04:00:00Z", "2026-11-01T04:00:00Z", true);
        assertRoll(monthly, "2026-11-30T23:00:00Z", "2026-11-01T04:00:00Z", false);
    }

    /**
     * A clock that reads earlier than the one a window was rolled with (an app server behind the database, whose
     * clock routing uses) leaves the window alone: rolling it back would empty a counter mid-window.
     */
    @Test
    @Transactional
    void aWindowIsNeverRolledBackwards() {
        assertRoll(daily, "2026-03-10T12:00:00Z", "2026-03-10T04:00:00Z", true);
        assertRoll(daily, "2026-03-09T23:59:00Z", "2026-03-10T04:00:00Z", false);
        assertRoll(hourly, "2026-03-10T13:00:00Z", "2026-03-10T13:00:00Z", true);
        assertRoll(hourly, "2026-03-10T12:59:58Z", "2026-03-10T13:00:00Z", false);
    }

    /**
     * Routing rolls forward only too. A claim or answer whose transaction started in the last moment of a window
     * (its now()) can get the setting's row after another call rolled it to the next window; that window, later
     * than its own, is the current one: its count goes on, never back to 0 with the old window. Here the stored
     * window is the next hour's, as such a call finds it.
     */
    @Test
    void routingNeverRollsAWindowBackwardsEither() {
        jdbc.update("UPDATE campaign_client_settings SET cap_used = 5, total_cap = 100, "
                + "cap_window_start = date_trunc('hour', now()) + interval '1 hour' WHERE id = ?", hourly);
        String uid = "cap-forward-" + UUID.randomUUID();

        assertThat(jdbc.queryForObject("SELECT cap_used FROM route_evaluate((SELECT campaign_id FROM "
                + "campaign_client_settings WHERE id = ?), now()) WHERE setting_id = ?", Integer.class, hourly, hourly))
                .isEqualTo(5);
        assertThat(jdbc.queryForObject("SELECT route_claim(?, ?)", String.class, uid, hourly)).isEqualTo("CLAIMED");
        assertThat(jdbc.queryForObject("SELECT route_answer(?)", String.class, uid)).isEqualTo("ANSWERED");
        jdbc.queryForObject("SELECT route_release(?, 'HANGUP')", String.class, uid);

        var row = jdbc.queryForMap("SELECT cap_used, cap_window_start > now() AS next_window FROM "
                + "campaign_client_settings WHERE id = ?", hourly);
        assertThat(row).containsEntry("cap_used", 6).containsEntry("next_window", true);
    }

    /** The app was down at the boundary: the run every start-up makes rolls the window it missed. */
    @Test
    void aWindowMissedWhileTheAppWasDownIsRolledAtStartUp() throws Exception {
        rollWindowsAt(OffsetDateTime.parse("2026-03-07T12:00:00Z"));   // last rolled long ago
        jdbc.update("UPDATE campaign_client_settings SET cap_used = 7 WHERE id IN (?, ?)", daily, monthly);

        catchUp.run(new DefaultApplicationArguments());

        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (long setting : new long[] { daily, monthly }) {
            var row = jdbc.queryForMap("SELECT cap_used, cap_window_start, cap_period FROM campaign_client_settings "
                    + "WHERE id = ?", setting);
            assertThat(row.get("cap_used")).as("cap_used of the %s window", row.get("cap_period")).isEqualTo(0);
            assertThat(((java.sql.Timestamp) row.get("cap_window_start")).toInstant())
                    .isEqualTo(jdbc.queryForObject("SELECT cap_window_start(?, 'America/New_York', ?)",
                            java.sql.Timestamp.class, row.get("cap_period"), now).toInstant());
        }
    }

    /**
     * A setting whose row a call holds (its claim, answer or release under way) is skipped, not waited for: the reset
     * used to wait for it with every setting it had rolled already locked, so calls to those buyers waited too. The
     * call's own statement rolls the window it finds stale; the next run rolls it otherwise.
     */
    @Test
    void aSettingACallHoldsIsSkippedNotWaitedForAndRolledByTheNextRun() throws Exception {
        jdbc.update("UPDATE campaign_client_settings SET cap_used = 7, cap_window_start = '2026-03-07T05:00:00Z' "
                + "WHERE id IN (?, ?)", hourly, daily);
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try (HeldRowLocks call = HeldRowLocks.take(dataSource,
                "SELECT id FROM campaign_client_settings WHERE id = ? FOR NO KEY UPDATE", hourly)) {
            Future<?> reset = runner.submit(() -> catchUp.run(new DefaultApplicationArguments()));
            try {
                reset.get(15, TimeUnit.SECONDS);
            }
            catch (TimeoutException ex) {
                throw new AssertionError("the cap reset waited for the setting a call holds");
            }
            assertThat(capUsed(daily)).isZero();
            assertThat(capUsed(hourly)).isEqualTo(7);
        }
        finally {
            runner.shutdown();
            runner.awaitTermination(30, TimeUnit.SECONDS);
        }

        catchUp.run(new DefaultApplicationArguments());

        assertThat(capUsed(hourly)).isZero();
    }

    /** More settings due than one batch holds: the job goes on batch after batch until every one is rolled. */
    @Test
    void settingsBeyondOneBatchAreRolledToo() {
        String prefix = "cap-batch-" + UUID.randomUUID();
        int settings = 2_001;   // more than two of CapWindowMapper's batches of 1,000
        jdbc.update("""
                WITH c AS (INSERT INTO campaigns (seller_id, name)
                           SELECT s.id, ? || '-' || n FROM sellers s, generate_series(1, ?) n WHERE s.name = 'Acme Leads'
                           RETURNING id)
                INSERT INTO campaign_client_settings (campaign_id, client_id, total_cap, cap_period, cap_used,
                                                      cap_window_start)
                SELECT c.id, (SELECT client_id FROM campaign_client_settings WHERE id = ?), 10, 'DAY', 7,
                       '2026-03-07T05:00:00Z' FROM c""", prefix, settings, daily);

        catchUp.run(new DefaultApplicationArguments());

        assertThat(jdbc.queryForObject("SELECT count(*) FROM campaign_client_settings s JOIN campaigns c "
                + "ON c.id = s.campaign_id WHERE c.name LIKE ? || '-%' AND s.cap_used = 0", Integer.class, prefix))
                .isEqualTo(settings);
    }

    /**
     * Every window due at {@code at} (null: the database's now), batch after batch as capResetJob's step goes, in
     * the caller's transaction.
     */
    private void rollWindowsAt(OffsetDateTime at) {
        long afterId = 0;
        List<Long> batch;
        do {
            batch = capWindows.rollBatch(at, afterId, CapWindowMapper.BATCH_SIZE);
            afterId = batch.isEmpty() ? afterId : Collections.max(batch);
        } while (batch.size() == CapWindowMapper.BATCH_SIZE);
    }

    private int capUsed(long setting) {
        return jdbc.queryForObject("SELECT cap_used FROM campaign_client_settings WHERE id = ?", Integer.class, setting);
    }

    private void assertRoll(long setting, String at, String windowStart, boolean reset) {
        jdbc.update("UPDATE campaign_client_settings SET cap_used = 7 WHERE id = ?", setting);

        rollWindowsAt(OffsetDateTime.parse(at));

        var row = jdbc.queryForMap("SELECT cap_used, cap_window_start FROM campaign_client_settings WHERE id = ?",
                setting);
        assertThat(((java.sql.Timestamp) row.get("cap_window_start")).toInstant()).as("window at %s", at)
                .isEqualTo(Instant.parse(windowStart));
        assertThat(row.get("cap_used")).as("cap_used at %s", at).isEqualTo(reset ? 0 : 7);
    }

    private long setting(String campaign, long client, String period) {
        return jdbc.queryForObject("""
                WITH c AS (INSERT INTO campaigns (seller_id, name) SELECT id, ? FROM sellers WHERE name = 'Acme Leads'
                           RETURNING id)
                INSERT INTO campaign_client_settings (campaign_id, client_id, total_cap, cap_period)
                SELECT c.id, ?, 10, ? FROM c RETURNING id""", Long.class, campaign, client, period);
    }
}
