package io.capconduit.system;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an embedded PostgreSQL that could not start (its port taken, its data folder another running CapConduit's)
 * as Spring Boot reports a web port in use: the reason and what to do, not the nested bean-creation stack traces
 * that end in it (the trace stays at DEBUG).
 */
class EmbeddedDatabaseFailureAnalyzer extends AbstractFailureAnalyzer<EmbeddedPostgresServer.EmbeddedDatabaseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, EmbeddedPostgresServer.EmbeddedDatabaseException cause) {
        return new FailureAnalysis(cause.getMessage(), "Do as the description says, then start again (README.md, "
                + "The database, lists the embedded PostgreSQL's settings).", cause);
    }
}
