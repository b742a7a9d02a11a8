package io.capconduit.jobs;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.ExitStatus;
import org.springframework.jdbc.UncategorizedSQLException;

import static org.assertj.core.api.Assertions.assertThat;

class BatchJobViewsTests {

    @Test
    void aStackTraceBecomesItsInnermostCausesMessageWithoutSqlOrClassNames() {
        SQLException database = new SQLException("ERROR: injected failure for call-7", "P0001");
        String trace = ExitStatus.FAILED.addExitDescription(new UncategorizedSQLException("PreparedStatementCallback",
                "SELECT (array_agg(x))[1] FROM cdr WHERE secret = 'x'", database)).getExitDescription();

        assertThat(trace).contains("\n\tat ", "SELECT (array_agg(x))[1]");
        assertThat(BatchJobViews.readable(trace)).isEqualTo("ERROR: injected failure for call-7");
    }

    @Test
    void withoutItsCauseTheTopMessageLosesItsSql() {
        String trace = "org.springframework.jdbc.UncategorizedSQLException: PreparedStatementCallback; uncategorized "
                + "SQLException for SQL [SELECT a[1] FROM t]; SQL state [P0001]; error code [0]; ERROR: boom\n"
                + "\tat org.springframework.jdbc.support.Foo.bar(Foo.java:1)\n";

        assertThat(BatchJobViews.readable(trace)).isEqualTo("PreparedStatementCallback; uncategorized SQLException "
                + "SQL state [P0001]; error code [0]; ERROR: boom");
    }

    @Test
    void ourOwnSentencesAndBlanksAreKept() {
        assertThat(BatchJobViews.readable("leads.csv was not imported: the header row has no phone column"))
                .isEqualTo("leads.csv was not imported: the header row has no phone column");
        assertThat(BatchJobViews.readable("  ")).isNull();
        assertThat(BatchJobViews.readable(null)).isNull();
    }
}
