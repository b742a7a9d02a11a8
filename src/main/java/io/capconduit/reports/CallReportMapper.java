package io.capconduit.reports;

import java.time.OffsetDateTime;
import java.util.List;

import io.capconduit.calls.CallLogFilter;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.session.ResultHandler;

/** Report SQL (in CallReportMapper.xml): the hourly rollup, the same figures straight from call_logs, cap usage. */
@Mapper
interface CallReportMapper {

    /**
     * Figures per period and key. {@code fromRollup} reads call_stats_hourly for the UTC hours that lie whole in one
     * period (every hour when {@code wholeHours}: the zone's offsets in the range are whole hours) and call_logs for
     * the others; without it, call_logs only. At most {@code limit} rows, the first in the report's order.
     */
    List<Figures> report(@Param("request") CallReportRequest request, @Param("start") OffsetDateTime start,
            @Param("end") OffsetDateTime end, @Param("zone") String zone, @Param("fromRollup") boolean fromRollup,
            @Param("wholeHours") boolean wholeHours, @Param("limit") int limit);

    /** The first {@code first} settings by campaign and client name. */
    List<CapUsage> capUsage(@Param("sellerId") Long sellerId, @Param("campaignId") Long campaignId,
            @Param("clientId") Long clientId, @Param("first") int first);

    /** The same settings by id: those after {@code afterId} (null: from the first), at most {@code limit}. */
    List<CapUsage> capUsagePage(@Param("sellerId") Long sellerId, @Param("campaignId") Long campaignId,
            @Param("clientId") Long clientId, @Param("afterId") Long afterId, @Param("limit") int limit);

    /**
     * For the rest of the current transaction (SET LOCAL): how long one fetch may run, and how long the
     * transaction may sit idle between fetches before PostgreSQL ends the session, both in milliseconds.
     */
    @Select("SELECT set_config('statement_timeout', #{statementMillis}::text, true) || ' '"
            + " || set_config('idle_in_transaction_session_timeout', #{idleMillis}::text, true)")
    String limitTransaction(@Param("statementMillis") long statementMillis, @Param("idleMillis") long idleMillis);

    /** Every client's name by id (the few thousand at most there are), to name the buyers a call log tried. */
    @Select("SELECT id, name FROM clients")
    List<ClientName> clientNames();

    record ClientName(long id, String name) {
    }

    /** Streams matching call logs, oldest first, to the handler (call inside a transaction so rows are fetched in batches). */
    void streamCallLogs(@Param("filter") CallLogFilter filter, ResultHandler<CallLogLine> handler);

    /** One row of the report query. */
    record Figures(OffsetDateTime periodStart, Long keyId, String name, long calls, long answered, long billable,
            long talkSeconds, long rejectedCap, long rejectedSchedule, long rejectedNoTarget) {

        CallFigures figures() {
            return new CallFigures(calls, answered, billable, talkSeconds, rejectedCap, rejectedSchedule,
                    rejectedNoTarget);
        }
    }
}
