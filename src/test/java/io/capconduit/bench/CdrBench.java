package io.capconduit.bench;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
 * recordings), then a run with nothing new; and, for scale, the same call logs written by a plain insert.
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
        BenchReport.report("cdr_call_log_insert_rows_per_s", Math.round(ROWS / insertAlone()), "rows/s");
    }

    /**
     * For scale, the database's own limit: the seconds a plain INSERT ... SELECT takes to write the call logs the
     * run made (their indexes and rollup trigger included), from a copy, on two connections side by side as the
     * job's two workers. Reported per cdr row, like the job.
     */
    private double insertAlone() throws Exception {
        jdbc.execute("CREATE TABLE bench_call_logs AS SELECT * FROM call_logs WHERE linked_id LIKE 'bench-%'");
        jdbc.update("DELETE FROM call_logs WHERE linked_id LIKE 'bench-%'");
        jdbc.execute("VACUUM ANALYZE call_logs");
        List<Callable<Integer>> halves = List.of(
                () -> jdbc.update("INSERT INTO call_logs SELECT * FROM bench_call_logs WHERE id % 2 = 0 ORDER BY start_time"),
                () -> jdbc.update("INSERT INTO call_logs SELECT * FROM bench_call_logs WHERE id % 2 = 1 ORDER BY start_time"));
        ExecutorService workers = Executors.newFixedThreadPool(halves.size());
        try {
            long started = System.nanoTime();
            for (Future<Integer> half : workers.invokeAll(halves)) {
                half.get();
            }
            return (System.nanoTime() - started) / 1e9;
        }
        finally {
            workers.shutdown();
            jdbc.execute("DROP TABLE bench_call_logs");
        }
    }

    private JobExecution reconcile() throws Exception {
        return launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "0"), Instant.now());
    }
}
