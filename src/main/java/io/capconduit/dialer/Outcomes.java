package io.capconduit.dialer;

/**
 * Maps Asterisk's answers to queue entry outcomes (BUSY, NO_ANSWER, DISCONNECTED, FAILED; ANSWERED is set on answer).
 */
final class Outcomes {

    private Outcomes() {
    }

    /**
     * OriginateResponse Reason: the AST_CONTROL code the dial ended with (5 busy, 3 ringing: no answer in time,
     * 1 hangup: the far end refused the call, an unallocated number say, 8 congestion). Used only when the originate
     * made no channel, so no Hangup with its cause follows.
     */
    static String fromOriginateReason(Integer reason) {
        if (reason == null) {
            return "FAILED";
        }
        return switch (reason) {
            case 5 -> "BUSY";
            case 3 -> "NO_ANSWER";
            default -> "FAILED";
        };
    }

    /**
     * Q.850 hangup cause of a call's Hangup, which settles every call whose channel was made. 0 ("Unknown") is
     * what Asterisk 20 to 22 give a channel they hang up themselves when the Originate's Timeout runs out while the
     * lead's phone rings (main/dial.c's handle_timeout_trip sets no cause: asterisk/asterisk issue #1660, fixed in
     * later releases by pull request #1661, which send 19): no answer, not a failure.
     * <p>
     * DISCONNECTED: the number does not exist, or no longer does. chan_pjsip makes 1 UNALLOCATED of a SIP 404, 28
     * INVALID_NUMBER_FORMAT of a 484, and 22 NUMBER_CHANGED of a 410 (some versions make a 410 cause 1) or of a
     * carrier's Reason header saying so. 3 NO_ROUTE_DESTINATION and 27 DESTINATION_OUT_OF_ORDER speak of the route
     * or the line at that moment, not of the number: FAILED.
     */
    static String fromHangupCause(Integer cause) {
        if (cause == null) {
            return "FAILED";
        }
        return switch (cause) {
            case 17 -> "BUSY";
            case 0, 16, 18, 19, 31 -> "NO_ANSWER";
            case 1, 22, 28 -> "DISCONNECTED";
            default -> "FAILED";
        };
    }

    /** A CDR disposition, for entries settled from CDRs after a lost connection. */
    static String fromDisposition(String disposition) {
        return switch (disposition) {
            case "ANSWERED" -> "ANSWERED";
            case "BUSY" -> "BUSY";
            case "NO ANSWER" -> "NO_ANSWER";
            default -> "FAILED";
        };
    }
}
