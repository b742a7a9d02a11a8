package io.capconduit.reports;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;

import io.capconduit.system.InvalidInputException;

import org.springframework.stereotype.Component;

/**
 * Computes reports, unscoped (callers decide whose numbers): from the hourly rollup, all of it when every offset of
 * the zone in the range is a whole number of hours; else (e.g. Asia/Kolkata, +05:30) the UTC hours a local day or
 * hour boundary cuts in two are counted straight from call_logs, the rest from the rollup. A report
 * is held in memory whole, so one of more than {@code capconduit.reports.max-rows} rows is refused (the query
 * reads one row more than that, never the rest).
 */
@Component
class CallReports {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm");

    private final CallReportMapper mapper;
    private final int maxRows;

    CallReports(CallReportMapper mapper, ReportsProperties properties) {
        this.mapper = mapper;
        this.maxRows = properties.maxRows();
    }

    CallReport compute(CallReportRequest request) {
        return compute(request, true);
    }

    /** Visible for tests, which compare both sources: the rollup (where it holds whole hours), or call_logs alone. */
    CallReport compute(CallReportRequest request, boolean fromRollup) {
        boolean wholeHours = wholeHourOffsets(request.zone(), request.start().toInstant(), request.end().toInstant());
        List<CallReportMapper.Figures> found = mapper.report(request, request.start(), request.end(),
                request.zone().getId(), fromRollup, wholeHours, maxRows + 1);
        if (found.size() > maxRows) {
            throw new InvalidInputException("to", "the report would hold more than " + maxRows + " rows: narrow "
                    + "from..to, group by DAY rather than HOUR, report by SELLER or CAMPAIGN rather than CLIENT or DID, "
                    + "or name one sellerId");
        }
        List<CallReportRow> rows = found.stream()
                .map(figures -> new CallReportRow(label(figures, request), figures.periodStart(), figures.keyId(),
                        figures.name(), figures.figures()))
                .toList();
        return new CallReport(request.from(), request.to(), request.zone().getId(), request.groupBy(), request.by(),
                rows);
    }

    /**
     * The period as the seller reads it: a day, or an hour in local time; an hour that happens twice (the night
     * clocks go back) carries its offset, so the two are told apart: 2026-11-01T01:00-04:00, 2026-11-01T01:00-05:00.
     */
    private static String label(CallReportMapper.Figures figures, CallReportRequest request) {
        Instant start = figures.periodStart().toInstant();
        LocalDateTime local = LocalDateTime.ofInstant(start, request.zone());
        if (request.groupBy() == CallReportPeriod.DAY) {
            return local.toLocalDate().toString();
        }
        ZoneRules rules = request.zone().getRules();
        return rules.getValidOffsets(local).size() > 1 ? local.format(HOUR) + rules.getOffset(start)
                : local.format(HOUR);
    }

    static boolean wholeHourOffsets(ZoneId zone, Instant from, Instant to) {
        ZoneRules rules = zone.getRules();
        if (rules.getOffset(from).getTotalSeconds() % 3600 != 0) {
            return false;
        }
        for (ZoneOffsetTransition next = rules.nextTransition(from); next != null
                && next.getInstant().isBefore(to); next = rules.nextTransition(next.getInstant())) {
            if (next.getOffsetAfter().getTotalSeconds() % 3600 != 0) {
                return false;
            }
        }
        return true;
    }
}
