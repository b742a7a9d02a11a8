package io.capconduit.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

import io.capconduit.accounts.AuthenticatedUser;
import io.capconduit.calls.CallLogFilter;
import io.capconduit.system.InvalidInputException;
import io.capconduit.system.QueryTimedOutException;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.propertyeditors.CustomNumberEditor;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.ContentDisposition;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spreadsheet exports over HTTP (same sign-in as the API): {@code /api/reports/export.xlsx|csv} with the
 * report's arguments, and {@code /api/call-logs/export.xlsx|csv} with the call-log filters. Rows stream
 * straight to the response. A seller gets only its own rows.
 */
@RestController
class ReportExportController {

    private final CallReportService service;
    private final ReportsProperties properties;

    ReportExportController(CallReportService service, ReportsProperties properties) {
        this.service = service;
        this.properties = properties;
    }

    /**
     * An id given empty ({@code sellerId=}) is refused as one that is no number, not read as none: the export would
     * otherwise hold every seller's (campaign's, client's) rows while the caller asked for one.
     */
    @InitBinder
    void emptyIdsRefused(WebDataBinder binder) {
        binder.registerCustomEditor(Long.class, new CustomNumberEditor(Long.class, false));
    }

    @GetMapping("/api/reports/export.{format}")
    void exportReport(@PathVariable String format, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String timeZone,
            @RequestParam(required = false) CallReportPeriod groupBy, @RequestParam(required = false) CallReportBy by,
            @RequestParam(required = false) Long sellerId, @AuthenticationPrincipal AuthenticatedUser user,
            HttpServletResponse response) throws IOException {
        ExportFormat type = ExportFormat.of(format);
        CallReportRequest request = CallReportRequest.of(date("from", from), date("to", to), timeZone, groupBy, by,
                sellerId);
        CallReport report = service.report(request, user);
        SheetWriter.export(open(response, type, "call-report-" + request.from() + "-to-" + request.to()),
                out -> ReportSheets.writeReport(report, "Report", out));
    }

    @GetMapping("/api/call-logs/export.{format}")
    void exportCallLogs(@PathVariable String format, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String timeZone,
            @RequestParam(required = false) Long campaignId, @RequestParam(required = false) Long clientId,
            @RequestParam(required = false) String disposition, @RequestParam(required = false) Long sellerId,
            @AuthenticationPrincipal AuthenticatedUser user, HttpServletResponse response) throws IOException {
        ExportFormat type = ExportFormat.of(format);
        OffsetDateTime start = instant("from", from);
        OffsetDateTime end = instant("to", to);
        if (!end.isAfter(start)) {
            throw new InvalidInputException("to", "must be after from");
        }
        // the export reads in one transaction, whose snapshot holds back vacuum while it lasts: kept short
        int maxDays = properties.maxExportDays();
        if (Duration.between(start, end).compareTo(Duration.ofDays(maxDays)) > 0) {
            throw new InvalidInputException("to", "a call-log export covers at most " + maxDays
                    + " days after from: export a longer period " + maxDays + " days at a time");
        }
        ZoneId zone = CallReportRequest.parseZone(timeZone);
        CallLogFilter filter = new CallLogFilter(start.toInstant(), end.toInstant(), campaignId, clientId,
                CallLogFilter.disposition("disposition", disposition), sellerId);
        // a failure midway (the database gone, a timeout) abandons the file: an xlsx is then never sent and the
        // client gets the error; a csv already streaming is cut off, never completed as if whole
        SheetWriter.export(open(response, type, "call-logs"), out -> {
            ReportSheets.startCallLogs(out);
            service.streamCallLogs(filter, user, line -> {
                try {
                    ReportSheets.writeCallLog(out, line, zone);
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        });
    }

    private static SheetWriter open(HttpServletResponse response, ExportFormat type, String name) throws IOException {
        response.setContentType(type.mediaType());
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename(name + "." + type.extension()).build().toString());
        OutputStream body = response.getOutputStream();
        return type.open(body);
    }

    private static LocalDate date(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(field, "is required (a date such as 2026-11-01)");
        }
        try {
            return LocalDate.parse(text.trim());
        }
        catch (DateTimeParseException ex) {
            throw new InvalidInputException(field,
                    "'" + InvalidInputException.shown(text) + "' is not a date such as 2026-11-01");
        }
    }

    private static OffsetDateTime instant(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(field, "is required (a date-time such as 2026-11-01T00:00:00Z)");
        }
        OffsetDateTime instant;
        try {
            instant = OffsetDateTime.parse(text.trim());
        }
        catch (DateTimeException ex) {
            throw new InvalidInputException(field,
                    "'" + InvalidInputException.shown(text) + "' is not a date-time such as 2026-11-01T00:00:00Z");
        }
        // as the reports' dates: PostgreSQL would refuse some instants beyond, but only once the file had begun
        int year = instant.atZoneSameInstant(ZoneOffset.UTC).getYear();
        if (year < 1900 || year > 9999) {
            throw new InvalidInputException(field,
                    "must be a date-time in the years 1900 to 9999 (UTC), not " + InvalidInputException.shown(text));
        }
        return instant;
    }

    /**
     * A read past its statement timeout: 400 as the GraphQL API's BAD_REQUEST (the caller narrows it and asks
     * again). A csv already streaming has sent its 200 and is cut off instead, never completed as if whole.
     */
    @ExceptionHandler(QueryTimedOutException.class)
    ResponseEntity<Map<String, Object>> timedOut(QueryTimedOutException ex, HttpServletResponse response) {
        if (response.isCommitted()) {
            throw ex;
        }
        // the export had announced its spreadsheet type and file name: the error is plain JSON, not a download
        response.reset();
        return ResponseEntity.badRequest().body(Map.of("message", ex.getMessage(), "timeoutMillis",
                ex.limit().toMillis()));
    }
}
