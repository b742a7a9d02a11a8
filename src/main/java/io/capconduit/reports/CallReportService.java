package io.capconduit.reports;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.capconduit.accounts.AuthenticatedUser;
import io.capconduit.calls.CallLogFilter;
import io.capconduit.system.InputChecks;
import io.capconduit.system.QueryTimedOutException;
import io.capconduit.system.TimedReads;
import io.capconduit.system.graphql.Connection;
import io.capconduit.system.graphql.KeysetCursor;
import io.capconduit.system.graphql.PageRequest;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reports, cap usage and call-log exports for the signed-in user. A SELLER is confined to its own seller
 * whatever it asks for; staff and admins see everyone, or the seller they name.
 */
@Service
public class CallReportService {

    /** Settings capUsage lists without a {@code first}: a whole campaign's buyers, as a rule. */
    static final int CAP_USAGE_ROWS = 100;

    private final CallReports reports;
    private final CallReportMapper mapper;
    private final ReportsProperties properties;
    private final TimedReads timed;

    CallReportService(CallReports reports, CallReportMapper mapper, ReportsProperties properties, TimedReads timed) {
        this.reports = reports;
        this.mapper = mapper;
        this.properties = properties;
        this.timed = timed;
    }

    @PreAuthorize("isAuthenticated()")
    public CallReport report(CallReportRequest request, AuthenticatedUser user) {
        CallReportRequest scoped = request.forSeller(scope(user, request.sellerId()));
        return timed.read(() -> reports.compute(scoped));
    }

    @PreAuthorize("isAuthenticated()")
    public List<CapUsage> capUsage(Long campaignId, Long clientId, Integer first, AuthenticatedUser user) {
        int rows = InputChecks.range("first", first == null ? CAP_USAGE_ROWS : first, 1, PageRequest.MAX_SIZE);
        Long seller = scope(user, null);
        return timed.read(() -> mapper.capUsage(seller, campaignId, clientId, rows));
    }

    /** capUsage's settings by id, a keyset page at a time. */
    @PreAuthorize("isAuthenticated()")
    public Connection<CapUsage> capUsagePage(Long campaignId, Long clientId, Integer first, String after,
            AuthenticatedUser user) {
        PageRequest page = PageRequest.of(first, after, "capUsage");
        Long seller = scope(user, null);
        Long afterId = page.after() == null ? null : page.after().id();
        List<CapUsage> rows = timed.read(() -> mapper.capUsagePage(seller, campaignId, clientId, afterId,
                page.fetchSize()));
        return Connection.of(rows, page, usage -> KeysetCursor.ofId("capUsage", usage.settingId()));
    }

    /**
     * Streams the matching call logs; inside one read-only transaction so PostgreSQL hands rows out in batches.
     * Its snapshot holds back vacuum on every table (the routing ones too) while it lasts, so a download that
     * stalls, or a fetch that runs away, ends it after {@code capconduit.reports.export-idle-timeout} or
     * {@code export-statement-timeout}.
     */
    @PreAuthorize("isAuthenticated()")
    @Transactional(readOnly = true)
    public void streamCallLogs(CallLogFilter filter, AuthenticatedUser user, Consumer<CallLogLine> rows) {
        CallLogFilter scoped = new CallLogFilter(filter.from(), filter.to(), filter.campaignId(), filter.clientId(),
                filter.disposition(), scope(user, filter.sellerId()));
        mapper.limitTransaction(properties.exportStatementTimeout().toMillis(),
                properties.exportIdleTimeout().toMillis());
        Map<Long, String> names = mapper.clientNames().stream()
                .collect(Collectors.toMap(CallReportMapper.ClientName::id, CallReportMapper.ClientName::name));
        try {
            mapper.streamCallLogs(scoped, context -> rows.accept(context.getResultObject().namingClientsTried(names)));
        }
        catch (RuntimeException ex) {
            throw TimedReads.timedOut(ex) ? new QueryTimedOutException(properties.exportStatementTimeout(),
                    "capconduit.reports.export-statement-timeout", ex) : ex;
        }
    }

    private static Long scope(AuthenticatedUser user, Long asked) {
        Long own = user.sellerScope();
        return own != null ? own : asked;
    }
}
