package io.capconduit.bench;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import io.capconduit.jobs.BatchJobLauncher;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CDR reconciliation on 1,000,000 cdr rows (about 1.3 per call: failovers, answered and unanswered legs,
 * recordings), then a run with nothing new.
 */
@Benchmark("cdr")
@IntegrationTest
class CdrBench {

    private static final int ROWS = 1_000_000;

    @Autowired
    BatchJobLauncher launcher;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void reconcileAMillionRows() throws Exception {
        reconcile();
        long before = jdbc.queryForObject("SELECT count(*) FROM call_logs", Long.class);
        jdbc.update("""
                INSERT INTO cdr (src, dst, start, answer, "end", duration, billsec, disposition, uniqueid, linkedid,
                                 direction, campaign_id, client_id, setting_id, seller_id, did, targets_tried,
                                 route_status, recording_file)
                SELECT '+1212555' || lpad((g % 10000)::text, 4, '0'), '+18005550101',
                       t, CASE WHEN answered THEN t + interval '5 seconds' ELSE '1970-01-01' END,
                       t + interval '1 second' * (20 + g % 300),
                       20 + g % 300, CASE WHEN answered THEN 15 + g % 300 ELSE 0 END,
                       CASE WHEN answered THEN 'ANSWERED' WHEN g % 3 = 0 THEN 'BUSY' ELSE 'NO ANSWER' END,
                       'bench-' || call, 'bench-' || call, 'INBOUND', cp.id::text,
                       CASE WHEN g % 2 = 0 THEN s1.client_id ELSE s2.client_id END::text,
                       CASE WHEN g % 2 = 0 THEN s1.id ELSE s2.id END::text,
                       cp.seller_id::text, '+18005550101', '2', 'ROUTED',
                       CASE WHEN answered AND g % 4 = 0 THEN 'bench-' || call || '.wav' END
                FROM generate_series(1, ?) g
                CROSS JOIN LATERAL (SELECT (g * 10 / 13) AS call, g % 5 <> 1 AS answered,
                                           timestamp '2026-10-01' + interval '1 second' * g AS t) x
                JOIN campaigns cp ON cp.name = 'Auto Insurance'
                JOIN campaign_client_settings s1 ON s1.campaign_id = cp.id AND s1.priority = 1
                JOIN campaign_client_settings s2 ON s2.campaign_id = cp.id AND s2.priority = 2
                """, ROWS);
        jdbc.execute("ANALYZE cdr");

        long started = System.nanoTime();
        JobExecution execution = reconcile();
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        long calls = jdbc.queryForObject("SELECT count(*) FROM call_logs", Long.class) - before;
        assertThat(calls).isBetween(ROWS * 10L / 13 - 2, ROWS * 10L / 13 + 2);
        BenchReport.report("cdr_reconcile_rows_per_s", Math.round(ROWS / seconds), "rows/s");

        double[] noop = new double[7];
        for (int i = 0; i < noop.length; i++) {
            long t = System.nanoTime();
            reconcile();
            noop[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(noop);
        BenchReport.report("cdr_reconcile_noop_ms", noop[noop.length / 2], "ms");
    }

    private JobExecution reconcile() throws Exception {
        return launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "0"), Instant.now());
    }
}
