package io.capconduit.calls;

import java.util.List;
import java.util.Map;

import io.capconduit.system.graphql.Connection;
import io.capconduit.system.graphql.PageRequest;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/** The raw cdr rows Asterisk wrote, keyset-paged, each with the call log reconciliation built from it. */
@Controller
class CdrController {

    private final CdrService cdrs;
    private final CallLogService callLogs;

    CdrController(CdrService cdrs, CallLogService callLogs) {
        this.cdrs = cdrs;
        this.callLogs = callLogs;
    }

    @QueryMapping
    Connection<Cdr> cdrs(@Argument CdrFilter filter, @Argument Integer first, @Argument String after) {
        return cdrs.page(filter, PageRequest.ofTimed(first, after, CdrService.CURSORS));
    }

    @BatchMapping
    Map<Cdr, CallLog> callLog(List<Cdr> rows) {
        return callLogs.of(rows);
    }
}
