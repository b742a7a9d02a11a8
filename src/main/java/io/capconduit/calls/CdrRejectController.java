package io.capconduit.calls;

import io.capconduit.system.graphql.Connection;
import io.capconduit.system.graphql.KeysetCursor;
import io.capconduit.system.graphql.PageRequest;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;

/** The cdr rows CDR reconciliation skipped, and why: every one, where the job's exit message names a few. */
@Controller
class CdrRejectController {

    private static final String CURSORS = "cdrRejects";

    private final CdrRejectMapper rejects;

    CdrRejectController(CdrRejectMapper rejects) {
        this.rejects = rejects;
    }

    @QueryMapping
    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    Connection<CdrReject> cdrRejects(@Argument Long jobExecutionId, @Argument Integer first, @Argument String after) {
        PageRequest page = PageRequest.of(first, after, CURSORS);
        return Connection.of(rejects.page(jobExecutionId, page.after() == null ? null : page.after().id(),
                page.fetchSize()), page, reject -> KeysetCursor.ofId(CURSORS, reject.cdrId()));
    }
}
