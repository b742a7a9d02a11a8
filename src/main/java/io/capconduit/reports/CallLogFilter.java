package io.capconduit.reports;

import java.time.OffsetDateTime;
import java.time.ZoneId;

/** Which call logs an export holds: start time in [from, to), optional campaign, client, disposition, seller scope. */
public record CallLogFilter(OffsetDateTime from, OffsetDateTime to, Long campaignId, Long clientId,
        String disposition, Long sellerId, ZoneId zone) {
}
