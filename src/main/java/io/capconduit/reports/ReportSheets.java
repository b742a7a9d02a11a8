package io.capconduit.reports;

import java.io.IOException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

import io.capconduit.reports.Column.Type;

/**
 * The layouts of exported sheets: a report (one line per row, then a Total line) and the call-log list.
 * Spreadsheets have no time zones, so instants are written as local date-times of the export's zone.
 */
final class ReportSheets {

    private static final List<Column> CALL_LOG_COLUMNS = List.of(new Column("Id", Type.INTEGER, 10),
            new Column("Start", Type.DATE_TIME, 20), new Column("Answer", Type.DATE_TIME, 20),
            new Column("End", Type.DATE_TIME, 20), new Column("Direction", Type.TEXT, 10),
            new Column("Seller", Type.TEXT, 22), new Column("Campaign", Type.TEXT, 22),
            new Column("DID", Type.TEXT, 16), new Column("Caller id", Type.TEXT, 16),
            new Column("Destination", Type.TEXT, 16), new Column("Client", Type.TEXT, 26),
            new Column("Disposition", Type.TEXT, 12),
            new Column("Unrouted reason", Type.TEXT, 14), new Column("Hangup cause", Type.TEXT, 12),
            new Column("Duration (s)", Type.INTEGER, 12), new Column("Talk time (s)", Type.INTEGER, 12),
            new Column("Billable", Type.BOOLEAN, 9), new Column("Targets tried", Type.INTEGER, 12),
            new Column("Clients tried", Type.TEXT, 40), new Column("Linked id", Type.TEXT, 24));

    private ReportSheets() {
    }

    static List<Column> reportColumns(CallReportBy by) {
        String what = by.name().charAt(0) + by.name().substring(1).toLowerCase(Locale.ROOT);
        return List.of(new Column("Period", Type.TEXT, 17), new Column("Period start", Type.DATE_TIME, 20),
                new Column(what + " id", Type.INTEGER, 10), new Column(by == CallReportBy.DID ? "DID" : what, Type.TEXT, 28),
                new Column("Calls", Type.INTEGER, 10), new Column("Answered", Type.INTEGER, 10),
                new Column("Billable", Type.INTEGER, 10), new Column("Answer rate", Type.PERCENT, 12),
                new Column("Conversion rate", Type.PERCENT, 15), new Column("Talk time (s)", Type.INTEGER, 14),
                new Column("Average talk (s)", Type.DECIMAL, 16), new Column("Rejected by cap", Type.INTEGER, 15),
                new Column("Rejected by schedule", Type.INTEGER, 20),
                new Column("Rejected no target", Type.INTEGER, 18));
    }

    static void writeReport(CallReport report, String sheetName, SheetWriter out) throws IOException {
        ZoneId zone = ZoneId.of(report.timeZone());
        out.startSheet(sheetName, reportColumns(report.by()));
        for (CallReportRow row : report.rows()) {
            writeFigures(out, row.figures(), row.period(), local(row.periodStart(), zone), row.key(), row.name());
        }
        writeFigures(out, report.totals(), "Total", null, null, null);
    }

    private static void writeFigures(SheetWriter out, CallFigures f, String period, LocalDateTime start, Long key,
            String name) throws IOException {
        out.row(period, start, key, name, f.calls(), f.answered(), f.billable(), f.answerRate(), f.conversionRate(),
                f.talkSeconds(), f.averageTalkSeconds(), f.rejectedByCap(), f.rejectedBySchedule(),
                f.rejectedNoTarget());
    }

    static void startCallLogs(SheetWriter out) throws IOException {
        out.startSheet("Call logs", CALL_LOG_COLUMNS);
    }

    static void writeCallLog(SheetWriter out, CallLogLine c, ZoneId zone) throws IOException {
        out.row(c.id(), local(c.startTime(), zone), local(c.answerTime(), zone), local(c.endTime(), zone),
                c.direction(), c.sellerName(), c.campaignName(), c.didNumber(), c.callerId(), c.destination(),
                c.clientName(), c.disposition(), c.unroutedReason(), c.hangupCause(), c.duration(), c.billsec(),
                c.billable(), c.targetsTried(), c.clientsTried(), c.linkedId());
    }

    private static LocalDateTime local(OffsetDateTime time, ZoneId zone) {
        return time == null ? null : LocalDateTime.ofInstant(time.toInstant(), zone);
    }
}
