package io.capconduit.calls;

import java.time.Instant;

/** One call, rebuilt by CDR reconciliation from every CDR row of its linked id. */
public record CallLog(long id, String linkedId, String direction, Long sellerId, Long campaignId, Long didId,
        String didNumber, String callerId, String destination, Long clientId, Long settingId, int targetsTried,
        Long agentId, Long leadId, Instant startTime, Instant answerTime, Instant endTime, int duration, int billsec,
        String disposition, String hangupCause, String unroutedReason, boolean billable, String recordingFile) {
}
