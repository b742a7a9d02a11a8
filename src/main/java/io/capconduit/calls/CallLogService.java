package io.capconduit.calls;

import java.util.List;

import io.capconduit.accounts.SellerAccess;
import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;
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

    CallLogService(CallLogMapper callLogs) {
        this.callLogs = callLogs;
    }

    Connection<CallLog> page(CallLogFilter filter, PageRequest page) {
        CallLogFilter given = filter == null ? CallLogFilter.NONE : filter;
        CallLogFilter f = new CallLogFilter(given.from(), given.to(), given.campaignId(), given.clientId(),
                CallLogFilter.disposition("filter.disposition", given.disposition()), given.sellerId());
        if (f.from() != null && f.to() != null && !f.from().isBefore(f.to())) {
            throw new InvalidInputException("filter.to", "must be after filter.from");
        }
        return Connection.of(callLogs.findPage(f, SellerAccess.scope(), page.after(), page.fetchSize()), page,
                log -> KeysetCursor.of(CURSORS, log.startTime(), log.id()));
    }

    /** The offers of call logs this caller was given (so already within its scope). */
    List<CallLogMapper.ClientTried> clientsTried(List<CallLog> logs) {
        return logs.isEmpty() ? List.of() : callLogs.clientsTried(logs.stream().map(CallLog::id).toList());
    }

    CallLog find(long id) {
        return callLogs.findById(id).filter(log -> log.sellerId() != null ? SellerAccess.maySee(log.sellerId())
                : SellerAccess.scope() == null).orElseThrow(() -> new NotFoundException("CallLog", id));
    }
}
