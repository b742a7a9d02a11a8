package io.capconduit.reports;

import java.time.LocalDate;
import java.util.List;

/** A computed report: what was asked, its rows and the totals over them. */
public record CallReport(LocalDate from, LocalDate to, String timeZone, CallReportPeriod groupBy, CallReportBy by,
        List<CallReportRow> rows) {

    public CallFigures totals() {
        return rows.stream().map(CallReportRow::figures).reduce(CallFigures.NONE, CallFigures::plus);
    }
}
