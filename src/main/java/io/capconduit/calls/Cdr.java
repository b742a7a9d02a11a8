package io.capconduit.calls;

import java.time.Instant;

/**
 * One raw cdr row, as cdr_adaptive_odbc wrote it: the standard CDR columns, then the ones the dialplan stamps (text,
 * unchecked). Times are instants (the table's UTC without a zone); an answer of 1970-01-01 (not answered) is null.
 */
public record Cdr(long id, String accountCode, String src, String dst, String dcontext, String clid, String channel,
        String dstChannel, String lastApp, String lastData, Instant startTime, Instant answerTime, Instant endTime,
        Integer duration, Integer billsec, String disposition, String amaFlags, String userField, String uniqueId,
        String linkedId, String peerAccount, Integer sequence, String direction, String campaignId, String settingId,
        String clientId, String sellerId, String did, String strategy, String targetsTried, String routeStatus,
        String unroutedReason, String queueEntryId, String leadId, String agentId, String recordingFile,
        String dialedNumber, String dialedAnsweredAt, Instant insertedAt) {

    /**
     * The row without the columns naming PJSIP endpoints (channel, dstChannel, lastData: the carrier's and the buyers'
     * SIP connections, which a seller never sees, wherever it looks).
     */
    Cdr withoutEndpoints() {
        return new Cdr(id, accountCode, src, dst, dcontext, clid, null, null, lastApp, null, startTime, answerTime,
                endTime, duration, billsec, disposition, amaFlags, userField, uniqueId, linkedId, peerAccount, sequence,
                direction, campaignId, settingId, clientId, sellerId, did, strategy, targetsTried, routeStatus,
                unroutedReason, queueEntryId, leadId, agentId, recordingFile, dialedNumber, dialedAnsweredAt,
                insertedAt);
    }
}
