package io.capconduit.calls;

import java.time.Instant;
import java.util.List;

import io.capconduit.routing.Campaign;

/** Filters of the cdrs query, every one optional, combined with AND; {@code number} is a row's src or dst. */
record CdrFilter(Instant from, Instant to, String linkedId, String uniqueId, String number, String disposition,
        Campaign.Direction direction, Long campaignId, String did) {

    static final CdrFilter NONE = new CdrFilter(null, null, null, null, null, null, null, null, null);

    /** The dispositions Asterisk writes in a CDR. */
    static final List<String> DISPOSITIONS = List.of("ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION");

    /** This filter checked: a bad time range or disposition is a BAD_REQUEST naming the field. */
    CdrFilter checked() {
        CallLogFilter.timeRange(from, to);
        return new CdrFilter(from, to, linkedId, uniqueId, number,
                CallLogFilter.oneOf("filter.disposition", disposition, DISPOSITIONS), direction, campaignId, did);
    }
}
