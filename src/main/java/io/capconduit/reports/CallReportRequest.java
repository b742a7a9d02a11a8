package io.capconduit.reports;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

import io.capconduit.system.InputChecks;
import io.capconduit.system.InvalidInputException;

/**
 * A checked report question: the calendar days from..to (inclusive) in a time zone, grouped by period and
 * dimension, optionally narrowed to one seller.
 */
public record CallReportRequest(LocalDate from, LocalDate to, ZoneId zone, CallReportPeriod groupBy,
        CallReportBy by, Long sellerId) {

    static final int MAX_DAYS = 366;
    /** An hourly report by DID over a year could hold millions of rows, all in memory: a month at most. */
    static final int MAX_HOUR_DAYS = 31;

    /** Validates raw arguments; a bad one is an {@link InvalidInputException} naming it. */
    public static CallReportRequest of(LocalDate from, LocalDate to, String timeZone, CallReportPeriod groupBy,
            CallReportBy by, Long sellerId) {
        if (from == null) {
            throw new InvalidInputException("from", "is required (a date such as 2026-11-01)");
        }
        if (to == null) {
            throw new InvalidInputException("to", "is required (a date such as 2026-11-30)");
        }
        inCalendar("from", from);
        inCalendar("to", to);
        if (to.isBefore(from)) {
            throw new InvalidInputException("to", "must not be before from");
        }
        CallReportPeriod period = groupBy == null ? CallReportPeriod.DAY : groupBy;
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        if (period == CallReportPeriod.HOUR && days > MAX_HOUR_DAYS) {
            throw new InvalidInputException("to", "a report grouped by HOUR covers at most " + MAX_HOUR_DAYS
                    + " days (group by DAY for up to " + MAX_DAYS + ")");
        }
        if (days > MAX_DAYS) {
            throw new InvalidInputException("to", "a report covers at most " + MAX_DAYS + " days");
        }
        return new CallReportRequest(from, to, parseZone(timeZone), period, by == null ? CallReportBy.CAMPAIGN : by,
                sellerId);
    }

    /** A day of years 1900 to 9999 (beyond them, the day after would not exist for LocalDate.MAX). */
    static void inCalendar(String field, LocalDate date) {
        if (date.getYear() < 1900 || date.getYear() > 9999) {
            throw new InvalidInputException(field, "must be a date from 1900 to 9999, not " + date);
        }
    }

    /** An IANA zone name, UTC when blank. */
    static ZoneId parseZone(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return ZoneId.of("UTC");
        }
        return ZoneId.of(InputChecks.timeZone("timeZone", timeZone));
    }

    /** The first instant of {@code from} in the zone. */
    OffsetDateTime start() {
        return from.atStartOfDay(zone).toOffsetDateTime();
    }

    /** The first instant after {@code to} in the zone (exclusive end). */
    OffsetDateTime end() {
        return to.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
    }

    /** The same question for another seller scope. */
    CallReportRequest forSeller(Long scope) {
        return new CallReportRequest(from, to, zone, groupBy, by, scope);
    }
}
