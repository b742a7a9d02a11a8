package io.capconduit.calls;

import java.time.Instant;
import java.util.List;

import io.capconduit.system.InvalidInputException;

/** Call-log filters (the callLogs query and the call-log export); every one optional, combined with AND. */
public record CallLogFilter(Instant from, Instant to, Long campaignId, Long clientId, String disposition, Long sellerId) {

    static final CallLogFilter NONE = new CallLogFilter(null, null, null, null, null, null);

    /** What a call log's disposition can be: Asterisk's CDR dispositions, and UNROUTED for a call no buyer took. */
    public static final List<String> DISPOSITIONS =
            List.of("ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION", "UNROUTED");

    /** A disposition to filter by, or null (no filter) for none or a blank one; anything else names {@code field}. */
    public static String disposition(String field, String disposition) {
        if (disposition == null || disposition.isBlank()) {
            return null;
        }
        if (!DISPOSITIONS.contains(disposition)) {
            throw new InvalidInputException(field, "must be one of " + String.join(", ", DISPOSITIONS));
        }
        return disposition;
    }
}
