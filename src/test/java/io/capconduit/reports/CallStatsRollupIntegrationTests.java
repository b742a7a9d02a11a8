package io.capconduit.reports;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hourly rollup kept by the call_logs triggers gives the same figures as counting call_logs directly, after
 * inserts, reconciliation-style upserts that rebuild a call log, plain updates and deletes.
 */
@IntegrationTest
class CallStatsRollupIntegrationTests {

    private static final String[] DISPOSITIONS = {"ANSWERED", "ANSWERED", "NO ANSWER", "BUSY", "UNROUTED"};
    private static final String[] REASONS = {"CAPPED", "SCHEDULE", "NO_TARGET", "UNKNOWN_DID"};

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CallReports reports;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void rollupAndCallLogsAgreeThroughInsertsUpsertsUpdatesAndDeletes() {
        ReportFixture fixture = new ReportFixture(jdbc);
        long seller = fixture.seller("mixed", "America/New_York");
        long[] campaigns = {fixture.campaign(seller, "a"), fixture.campaign(seller, "b")};
        long[] dids = {fixture.did(seller, campaigns[0]), fixture.did(seller, campaigns[1])};
        long[] clients = {fixture.client("p", "UTC"), fixture.client("q", "UTC")};
        Random random = new Random(8);
        // three days around the 2026-11-01 fall-back in New York (01:00-02:00 local happens twice)
        Instant start = Instant.parse("2026-10-31T00:00:00Z");
        for (int i = 0; i < 300; i++) {
            int c = random.nextInt(2);
            String disposition = DISPOSITIONS[random.nextInt(DISPOSITIONS.length)];
            boolean answered = disposition.equals("ANSWERED");
            int billsec = answered ? random.nextInt(300) : 0;
            fixture.call(start.plusSeconds(random.nextInt(3 * 86_400)), seller, campaigns[c], dids[c],
                    answered ? clients[random.nextInt(2)] : null, disposition, billsec, billsec >= 60,
                    disposition.equals("UNROUTED") ? REASONS[random.nextInt(REASONS.length)] : null);
        }
        assertSameFigures(seller);

        // reconciliation rebuilding calls: the upsert moves them to another campaign, client and outcome
        int rebuilt = jdbc.update("""
                INSERT INTO call_logs (linked_id, direction, seller_id, campaign_id, did_id, client_id, start_time,
                                       disposition, billsec, billable)
                SELECT linked_id, 'INBOUND', seller_id, ?, ?, ?, start_time + interval '50 minutes', 'ANSWERED', 95, true
                FROM call_logs WHERE seller_id = ? AND id % 3 = 0
                ON CONFLICT (linked_id) DO UPDATE SET campaign_id = excluded.campaign_id, did_id = excluded.did_id,
                    client_id = excluded.client_id, start_time = excluded.start_time,
                    disposition = excluded.disposition, billsec = excluded.billsec, billable = excluded.billable,
                    unrouted_reason = NULL""", campaigns[1], dids[1], clients[0], seller);
        assertThat(rebuilt).isPositive();
        assertSameFigures(seller);

        jdbc.update("UPDATE call_logs SET billable = NOT billable, billsec = billsec + 7 WHERE seller_id = ? AND id % 5 = 1",
                seller);
        jdbc.update("DELETE FROM call_logs WHERE seller_id = ? AND id % 7 = 2", seller);
        assertSameFigures(seller);

        long calls = jdbc.queryForObject("SELECT count(*) FROM call_logs WHERE seller_id = ?", Long.class, seller);
        CallReport all = reports.compute(CallReportRequest.of(LocalDate.parse("2026-10-30"),
                LocalDate.parse("2026-11-05"), "UTC", CallReportPeriod.DAY, CallReportBy.SELLER, seller), true);
        assertThat(all.totals().calls()).isEqualTo(calls);
    }

    /** Inside a transaction rolled back at the end, so the other tests keep their call logs. */
    @Test
    void aTruncateOfCallLogsEmptiesTheRollupToo() {
        ReportFixture fixture = new ReportFixture(jdbc);
        long seller = fixture.seller("truncated", "UTC");
        long campaign = fixture.campaign(seller, "t");
        fixture.call(Instant.parse("2026-10-31T10:00:00Z"), seller, campaign, fixture.did(seller, campaign), null,
                "ANSWERED", 30, false, null);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_stats_hourly", Long.class)).isPositive();

        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            jdbc.execute("TRUNCATE call_logs");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM call_stats_hourly", Long.class)).isZero();
            status.setRollbackOnly();
        });
    }

    @Test
    void aRebuildFromScratchGivesTheRowsTheTriggersKept() {
        String kept = "SELECT string_agg(concat_ws(',', dimension, hour_start, seller_id, key_id, calls, "
                + "answered, billable, talk_seconds, rejected_cap, rejected_schedule, rejected_no_target), ';' "
                + "ORDER BY dimension, hour_start, seller_id, key_id) FROM call_stats_hourly WHERE calls <> 0";
        new NewYorkMarchScenario(new ReportFixture(jdbc));
        String before = jdbc.queryForObject(kept, String.class);

        jdbc.queryForObject("SELECT call_stats_rebuild()", Object.class);

        assertThat(jdbc.queryForObject(kept, String.class)).isEqualTo(before);
    }

    private void assertSameFigures(long seller) {
        for (CallReportPeriod period : CallReportPeriod.values()) {
            for (CallReportBy by : CallReportBy.values()) {
                // and zones whose offsets are not whole hours, St John's changing its own on 2026-11-01 (-02:30
                // to -03:30), Lord Howe by half an hour (+11:00 in its summer, +10:30 else)
                for (String zone : new String[] {"America/New_York", "UTC", "Europe/Berlin", "Asia/Kolkata",
                        "Asia/Kathmandu", "America/St_Johns", "Australia/Lord_Howe"}) {
                    CallReportRequest request = request(LocalDate.parse("2026-10-31"), zone, period, by, seller);
                    CallReport rollup = reports.compute(request, true);
                    assertThat(rollup.rows()).isNotEmpty();
                    assertThat(rollup).as("%s by %s in %s", period, by, zone).isEqualTo(reports.compute(request, false));
                }
            }
        }
    }

    private static CallReportRequest request(LocalDate from, String zone, CallReportPeriod period, CallReportBy by,
            long seller) {
        return CallReportRequest.of(from, from.plusDays(3), zone, period, by, seller);
    }
}
