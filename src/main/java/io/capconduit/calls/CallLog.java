package io.capconduit.calls;

import java.time.Instant;
import java.util.List;

/**
 * One call, rebuilt by CDR reconciliation from every CDR row of its linked id. {@code clientIdsTried}: the buyers
 * the call rang, in the order it rang them (a failover names each).
 */
public record CallLog(long id, String linkedId, String direction, Long sellerId, Long campaignId, Long didId,
        String didNumber, String callerId, String destination, Long clientId, Long settingId, List<Long> clientIdsTried,
        int targetsTried, Long agentId, Long leadId, Instant startTime, Instant answerTime, Instant endTime,
        int duration, int billsec, String disposition, String hangupCause, String unroutedReason, boolean billable,
        String recordingFile) {
}
