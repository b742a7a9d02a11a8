package io.capconduit.calls;

import javax.sql.DataSource;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.HeldTableLocks;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.capconduit.support.GraphQlErrors.classified;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The call-log and cdr lists read the database live calls are routed with: a page that runs past
 * capconduit.reports.statement-timeout (3s in tests; here it waits behind a held table lock) is stopped with a
 * BAD_REQUEST saying to narrow it, and the connection goes back to the pool without the limit.
 */
@IntegrationTest
class CallListTimeoutIntegrationTests {

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aCallLogPagePastTheStatementTimeoutIsABadRequest() throws Exception {
        try (HeldTableLocks held = HeldTableLocks.take(dataSource, "call_logs")) {
            graphQl.as("staff").document("{ callLogs(first: 500) { edges { node { id } } } }").execute()
                    .errors().expect(classified("BAD_REQUEST").and(error -> error.getMessage()
                            .contains("longer than its limit of 3s") && error.getMessage().contains("narrow it")))
                    .verify();
        }
        assertThat(jdbc.queryForObject("SELECT current_setting('statement_timeout')", String.class)).isEqualTo("0");
        graphQl.as("staff").document("{ callLogs(first: 1) { edges { node { id } } } }").execute().errors().verify();
    }

    @Test
    void aCdrPagePastTheStatementTimeoutIsABadRequest() throws Exception {
        try (HeldTableLocks held = HeldTableLocks.take(dataSource, "cdr")) {
            graphQl.as("staff").document("{ cdrs(first: 500) { edges { node { id } } } }").execute()
                    .errors().expect(classified("BAD_REQUEST").and(error -> error.getMessage()
                            .contains("longer than its limit of 3s") && error.getMessage().contains("narrow it")))
                    .verify();
        }
    }
}
