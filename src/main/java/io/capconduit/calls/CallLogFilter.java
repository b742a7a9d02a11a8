package io.capconduit.calls;

import java.time.Instant;

/** Call-log filters (the callLogs query and the call-log export); every one optional, combined with AND. */
public record CallLogFilter(Instant from, Instant to, Long campaignId, Long clientId, String disposition, Long sellerId) {

    static final CallLogFilter NONE = new CallLogFilter(null, null, null, null, null, null);
}
