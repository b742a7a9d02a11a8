package io.capconduit.reports;

import java.util.List;

import io.capconduit.accounts.AuthenticatedUser;
import io.capconduit.calls.CallLogFilter;
import org.apache.ibatis.session.ResultHandler;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reports, cap usage and call-log exports for the signed-in user. A SELLER is confined to its own seller
 * whatever it asks for; staff and admins see everyone, or the seller they name.
 */
@Service
public class CallReportService {

    private final CallReports reports;
    private final CallReportMapper mapper;

    CallReportService(CallReports reports, CallReportMapper mapper) {
        this.reports = reports;
        this.mapper = mapper;
    }

    @PreAuthorize("isAuthenticated()")
    public CallReport report(CallReportRequest request, AuthenticatedUser user) {
        return reports.compute(request.forSeller(scope(user, request.sellerId())));
    }

    @PreAuthorize("isAuthenticated()")
    public List<CapUsage> capUsage(Long campaignId, Long clientId, AuthenticatedUser user) {
        return mapper.capUsage(scope(user, null), campaignId, clientId);
    }

    /** Streams the matching call logs; inside one read-only transaction so PostgreSQL hands rows out in batches. */
    @PreAuthorize("isAuthenticated()")
    @Transactional(readOnly = true)
    public void streamCallLogs(CallLogFilter filter, AuthenticatedUser user, ResultHandler<CallLogLine> handler) {
        CallLogFilter scoped = new CallLogFilter(filter.from(), filter.to(), filter.campaignId(), filter.clientId(),
                filter.disposition(), scope(user, filter.sellerId()));
        mapper.streamCallLogs(scoped, handler);
    }

    private static Long scope(AuthenticatedUser user, Long asked) {
        Long own = user.sellerScope();
        return own != null ? own : asked;
    }
}
