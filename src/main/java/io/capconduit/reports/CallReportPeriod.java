package io.capconduit.reports;

/** How a report splits time, in the report's time zone. The lower-case name is PostgreSQL's date_trunc unit. */
public enum CallReportPeriod {
    DAY, HOUR
}
