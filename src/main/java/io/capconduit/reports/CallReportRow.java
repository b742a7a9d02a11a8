package io.capconduit.reports;

import java.time.OffsetDateTime;

/** One period and one seller / campaign / client / DID of a report; {@code period} is local to the report's zone. */
public record CallReportRow(String period, OffsetDateTime periodStart, Long key, String name, CallFigures figures) {
}
