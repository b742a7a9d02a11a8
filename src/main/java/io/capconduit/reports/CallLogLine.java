package io.capconduit.reports;

import java.time.OffsetDateTime;

/** One call log as exported. */
public record CallLogLine(long id, OffsetDateTime startTime, OffsetDateTime answerTime, OffsetDateTime endTime,
        String direction, String sellerName, String campaignName, String didNumber, String callerId,
        String clientName, String disposition, String unroutedReason, String hangupCause, int duration,
        int billsec, boolean billable, int targetsTried, String linkedId) {
}
