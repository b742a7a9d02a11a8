package io.capconduit.calls;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.capconduit.accounts.SellerAccess;
import io.capconduit.system.TimedReads;
import io.capconduit.system.graphql.Batches;
import io.capconduit.system.graphql.Connection;
import io.capconduit.system.graphql.KeysetCursor;
import io.capconduit.system.graphql.PageRequest;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * Reads raw cdr rows: the whole table for staff and admins (it spans every seller), and the rows of call logs the
 * caller was already given (a seller's own), for whoever may see those.
 */
@Service
@PreAuthorize("isAuthenticated()")
class CdrService {

    /** The list its keyset cursors name. */
    static final String CURSORS = "cdrs";

    private final CdrMapper cdrs;
    private final TimedReads timed;

    CdrService(CdrMapper cdrs, TimedReads timed) {
        this.cdrs = cdrs;
        this.timed = timed;
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    Connection<Cdr> page(CdrFilter filter, PageRequest page) {
        CdrFilter checked = (filter == null ? CdrFilter.NONE : filter).checked();
        List<Cdr> rows = timed.read(() -> cdrs.findPage(checked, page.after(), page.fetchSize()));
        return Connection.of(rows, page,
                row -> KeysetCursor.of(CURSORS, row.startTime(), row.id()));
    }

    /**
     * Each call log's rows, by id (the logs are ones this user was given, so their rows are its to see); a seller's
     * without the columns naming the carrier's and the buyers' PJSIP endpoints, which it sees nowhere else either.
     */
    Map<CallLog, List<Cdr>> of(List<CallLog> logs) {
        Map<CallLog, List<Cdr>> rows = Batches.many(logs, CallLog::linkedId, cdrs::findByLinkedIds, Cdr::linkedId);
        if (SellerAccess.scope() == null) {
            return rows;
        }
        Map<CallLog, List<Cdr>> redacted = new LinkedHashMap<>();
        rows.forEach((log, list) -> redacted.put(log, list.stream().map(Cdr::withoutEndpoints).toList()));
        return redacted;
    }
}
