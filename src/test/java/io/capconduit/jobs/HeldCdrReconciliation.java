package io.capconduit.jobs;

import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import io.capconduit.support.GraphQlTesters;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A CDR reconciliation run held inside its first chunk, for tests of a running execution (stop, progress): new cdr
 * rows to read, a transaction holding the run's checkpoint row, and a run of one row a chunk started over GraphQL.
 */
final class HeldCdrReconciliation {

    private HeldCdrReconciliation() {
    }

    /** {@code count} unanswered inbound CDR rows of ten minutes ago; returns their linked ids' common prefix. */
    static String newCdrRows(JdbcTemplate jdbc, String test, int count) {
        String prefix = test + "-" + UUID.randomUUID() + "-";
        jdbc.update("""
                INSERT INTO cdr (src, dst, start, answer, "end", duration, billsec, disposition, uniqueid, linkedid,
                                 direction)
                SELECT '+12125550100', '+18005550101', now() AT TIME ZONE 'UTC' - interval '10 minutes', '1970-01-01',
                       now() AT TIME ZONE 'UTC' - interval '9 minutes', 60, 0, 'NO ANSWER', ? || g, ? || g, 'INBOUND'
                FROM generate_series(1, ?) g""", prefix, prefix, count);
        return prefix;
    }

    /** A transaction holding the reconciliation's checkpoint row: a run waits inside its first chunk until it ends. */
    static Connection holdCdrCheckpoint(DataSource dataSource) throws Exception {
        Connection holder = dataSource.getConnection();
        holder.setAutoCommit(false);
        try (Statement lock = holder.createStatement()) {
            lock.execute("SELECT value FROM app_state WHERE key = 'cdr_reconciliation_last_id' FOR UPDATE");
        }
        return holder;
    }

    /** Starts cdrReconciliationJob, one row a chunk, as staff; returns the execution id. */
    static String runOneRowAChunk(GraphQlTesters graphQl) {
        return graphQl.as("staff").document("""
                mutation { runJob(name: "cdrReconciliationJob", parameters: [{name: "graceSeconds", value: "0"},
                           {name: "chunkSize", value: "1"}]) { id } }""").execute()
                .path("runJob.id").entity(String.class).get();
    }
}
