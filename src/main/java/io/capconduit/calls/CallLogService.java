package io.capconduit.calls;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.capconduit.accounts.SellerAccess;
import io.capconduit.system.NotFoundException;
import io.capconduit.system.TimedReads;
import io.capconduit.system.graphql.Batches;
import io.capconduit.system.graphql.Connection;
import io.capconduit.system.graphql.KeysetCursor;
import io.capconduit.system.graphql.PageRequest;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/** Reads call logs: staff and admins all, a seller only those of its own seller id. */
@Service
@PreAuthorize("isAuthenticated()")
class CallLogService {

    /** The list its keyset cursors name. */
    static final String CURSORS = "callLogs";

    private final CallLogMapper callLogs;
    private final TimedReads timed;

    CallLogService(CallLogMapper callLogs, TimedReads timed) {
        this.callLogs = callLogs;
        this.timed = timed;
    }

    Connection<CallLog> page(CallLogFilter filter, PageRequest page) {
        CallLogFilter given = filter == null ? CallLogFilter.NONE : filter;
        CallLogFilter f = new CallLogFilter(given.from(), given.to(), given.campaignId(), given.clientId(),
                CallLogFilter.disposition("filter.disposition", given.disposition()), given.sellerId());
        CallLogFilter.timeRange(f.from(), f.to());
        Long scope = SellerAccess.scope();
        List<CallLog> rows = timed.read(() -> callLogs.findPage(f, scope, page.after(), page.fetchSize()));
        return Connection.of(rows, page,
                log -> KeysetCursor.of(CURSORS, log.startTime(), log.id()));
    }

    /** Each call log's recordings, oldest first (the logs are ones this user was given). */
    Map<CallLog, List<Recording>> recordings(List<CallLog> logs) {
        return Batches.many(logs, CallLog::id, callLogs::recordingsOf, Recording::callLogId);
    }

    /** Each call log's recordings' file names, oldest first. */
    Map<CallLog, List<String>> recordingFiles(List<CallLog> logs) {
        Map<CallLog, List<String>> files = new LinkedHashMap<>();
        recordings(logs).forEach((log, recordings) -> files.put(log,
                recordings.stream().map(Recording::fileName).toList()));
        return files;
    }

    /** The call log of each cdr row's linked id, of those this user may see; a row of no such call log has none. */
    Map<Cdr, CallLog> of(List<Cdr> rows) {
        Long scope = SellerAccess.scope();
        return Batches.one(rows, Cdr::linkedId, linkedIds -> callLogs.findByLinkedIds(linkedIds, scope),
                CallLog::linkedId);
    }

    CallLog find(long id) {
        return callLogs.findById(id).filter(log -> log.sellerId() != null ? SellerAccess.maySee(log.sellerId())
                : SellerAccess.scope() == null).orElseThrow(() -> new NotFoundException("CallLog", id));
    }
}
