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
    void withoutItsCauseTheTopMessageGivesTheDatabasesErrorOrLosesItsSqlAndClassName() {
        String trace = "org.springframework.jdbc.UncategorizedSQLException: PreparedStatementCallback; uncategorized "
                + "SQLException for SQL [SELECT a[1] FROM t]; SQL state [P0001]; error code [0]; ERROR: boom\n"
                + "\tat org.springframework.jdbc.support.Foo.bar(Foo.java:1)\n";
        assertThat(BatchJobViews.readable(trace)).isEqualTo("ERROR: boom");

        String noDatabase = "org.springframework.jdbc.BadSqlGrammarException: StatementCallback; bad SQL grammar "
                + "for SQL [SELECT b[2] FROM u]; SQL state [42601]; error code [0]\n\tat x.Y.z(Y.java:1)\n";
        assertThat(BatchJobViews.readable(noDatabase)).isEqualTo("StatementCallback; bad SQL grammar SQL state [42601]; "
                + "error code [0]");
        assertThat(BatchJobViews.readable("java.lang.IllegalStateException: no staging table\n\tat x.Y.z(Y.java:1)"))
                .isEqualTo("no staging table");
    }

    /** MyBatis's message holds the mapper's path and the SQL; cut at 2,500 characters no stack frame is left. */
    @Test
    void aTraceCutInsideMyBatissSqlStillShowsOnlyTheDatabasesError() {
        String cut = ("org.springframework.dao.DataIntegrityViolationException: \n### Error updating database.  Cause: "
                + "org.postgresql.util.PSQLException: ERROR: injected failure for call-9\n  Where: PL/pgSQL function "
                + "f() line 1 at RAISE\n### The error may exist in io/capconduit/calls/CdrReconciliationMapper.xml\n"
                + "### SQL: WITH new_calls AS (SELECT rc.* FROM cdr_range_calls rc " + "x".repeat(3000)).substring(0, 2500);

        assertThat(BatchJobViews.readable(cut)).isEqualTo("ERROR: injected failure for call-9");
    }

    @Test
    void ourOwnSentencesAndBlanksAreKept() {
        assertThat(BatchJobViews.readable("leads.csv was not imported: the header row has no phone column"))
                .isEqualTo("leads.csv was not imported: the header row has no phone column");
        assertThat(BatchJobViews.readable("  ")).isNull();
        assertThat(BatchJobViews.readable(null)).isNull();
    }
}
