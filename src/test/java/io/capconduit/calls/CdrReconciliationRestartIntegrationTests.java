package io.capconduit.calls;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.capconduit.jobs.BatchJobLauncher;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** A chunk fails half-way (a database error injected by a trigger); the restart finishes without duplicates. */
@IntegrationTest
class CdrReconciliationRestartIntegrationTests {

    private static final String RESTART = "mutation ($id: ID!) { restartJobExecution(id: $id) { id status } }";
    private static final String STATUS = "query ($id: ID!) { batchJobExecution(id: $id) { status } }";

    @Autowired
    BatchJobLauncher launcher;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    NamedParameterJdbcTemplate named;

    @Autowired
    GraphQlTesters graphQl;

    @AfterEach
    void removeInjectedFailure() {
        jdbc.execute("DROP TRIGGER IF EXISTS test_fail_call_log ON call_logs");
    }

    @Test
    void aFailedRunRestartedFromTheApiWritesEveryCallLogExactlyOnce() throws Exception {
        launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "0"), Instant.now());
        CdrRows cdr = new CdrRows(named);
        Instant start = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        List<String> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(CdrReconciliationIntegrationTests.unique("restart-" + i));
        }
        // the failing range holds calls 2 and 3: call 2 in the other share, whose transaction commits before the
        // step fails, so the restart must rebuild a call log written by a failed run
        while (share(calls.get(2)) == share(calls.get(3))) {
            calls.set(2, CdrReconciliationIntegrationTests.unique("restart-2"));
        }
        for (String call : calls) {
            cdr.leg(call).set("campaign", "Home Warranty").set("client", "Pacific Home Services").insert();
            cdr.leg(call).set("campaign", "Home Warranty").set("client", "Lone Star Solar")
                    .answered(start, start.plusSeconds(5), start.plusSeconds(95)).insert();
        }
        jdbc.execute("""
                CREATE OR REPLACE FUNCTION test_fail_call_log() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'injected failure for %', NEW.linked_id; END $$""");
        jdbc.execute("CREATE TRIGGER test_fail_call_log BEFORE INSERT ON call_logs FOR EACH ROW "
                + "WHEN (NEW.linked_id = '" + calls.get(3) + "') EXECUTE FUNCTION test_fail_call_log()");

        JobExecution failed = launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "0", "chunkSize", "4"),
                Instant.now());

        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        // the API says why, on the execution and on its failed step
        Map<String, Object> why = graphQl.as("staff").document("query ($id: ID!) { batchJobExecution(id: $id) { "
                + "exitCode exitMessage steps { status exitMessage } } }").variable("id", failed.getId()).execute()
                .path("batchJobExecution").entity(new ParameterizedTypeReference<Map<String, Object>>() { }).get();
        assertThat(why).containsEntry("exitCode", "FAILED");
        assertThat((String) why.get("exitMessage")).contains("injected failure for " + calls.get(3));
        assertThat(why.get("steps").toString()).contains("status=FAILED", "injected failure for " + calls.get(3));
        // calls 0 and 1 in the range before, and call 2, whose share committed
        assertThat(logsOf(calls)).isEqualTo(3);
        removeInjectedFailure();

        String restarted = graphQl.as("staff").document(RESTART).variable("id", failed.getId()).execute()
                .path("restartJobExecution.id").entity(String.class).get();
        awaitStatus(restarted, "COMPLETED");

        // the restart alone wrote the rest
        assertThat(logsOf(calls)).isEqualTo(6);
        assertThat(jdbc.queryForList("SELECT cdr_rows FROM call_logs WHERE linked_id = ANY (?)", Integer.class,
                (Object) calls.toArray(String[]::new))).containsOnly(2);
        // and a later run finds nothing left to do
        String versions = "SELECT string_agg(xmin::text, ',' ORDER BY linked_id) FROM call_logs WHERE linked_id = ANY (?)";
        String before = jdbc.queryForObject(versions, String.class, (Object) calls.toArray(String[]::new));
        launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "0"), Instant.now());
        assertThat(logsOf(calls)).isEqualTo(6);
        assertThat(jdbc.queryForObject(versions, String.class, (Object) calls.toArray(String[]::new))).isEqualTo(before);
    }

    private int share(String linkedId) {
        return jdbc.queryForObject("SELECT ((hashtext(?)::bigint & 2147483647) % 2)::int", Integer.class, linkedId);
    }

    private int logsOf(List<String> calls) {
        return jdbc.queryForObject("SELECT count(*) FROM call_logs WHERE linked_id = ANY (?)", Integer.class,
                (Object) calls.toArray(String[]::new));
    }

    private void awaitStatus(String executionId, String wanted) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        String status = null;
        while (Instant.now().isBefore(deadline)) {
            status = graphQl.as("staff").document(STATUS).variable("id", executionId).execute()
                    .path("batchJobExecution.status").entity(String.class).get();
            if (wanted.equals(status) || "FAILED".equals(status)) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(status).isEqualTo(wanted);
    }
}
