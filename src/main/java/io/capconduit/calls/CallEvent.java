package io.capconduit.calls;

import java.time.OffsetDateTime;

/**
 * One change of a call's state for a wallboard (schema: calls.graphqls, CallEvent). {@code kind}: RINGING (a buyer
 * is offered an inbound call), ANSWERED, RELEASED (a buyer's leg ended; {@code detail} says why), DIALING (the
 * dialer originates a queue entry), DONE (the entry's outcome in {@code detail}), LOGGED (CDR reconciliation wrote
 * the call's log; {@code detail} the disposition), MISSED_SOME (events may have been lost: refresh from queries).
 */
record CallEvent(String kind, String linkedId, Long entryId, Long callLogId, String direction, Long campaignId,
        Long sellerId, Long clientId, Long agentId, Long leadId, String detail, OffsetDateTime at) {

    static CallEvent missedSome() {
        return new CallEvent("MISSED_SOME", null, null, null, null, null, null, null, null, null, null,
                OffsetDateTime.now());
    }
}
