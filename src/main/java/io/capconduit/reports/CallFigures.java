package io.capconduit.reports;

/**
 * Counts and sums over a set of call logs, with the rates derived from them: answer rate = answered / calls,
 * conversion rate = billable / answered, average talk time = talk seconds / answered (null when divided by 0).
 */
public record CallFigures(long calls, long answered, long billable, long talkSeconds, long rejectedByCap,
        long rejectedBySchedule, long rejectedNoTarget) {

    static final CallFigures NONE = new CallFigures(0, 0, 0, 0, 0, 0, 0);

    public Double answerRate() {
        return ratio(answered, calls);
    }

    public Double conversionRate() {
        return ratio(billable, answered);
    }

    public Double averageTalkSeconds() {
        return ratio(talkSeconds, answered);
    }

    CallFigures plus(CallFigures other) {
        return new CallFigures(calls + other.calls, answered + other.answered, billable + other.billable,
                talkSeconds + other.talkSeconds, rejectedByCap + other.rejectedByCap,
                rejectedBySchedule + other.rejectedBySchedule, rejectedNoTarget + other.rejectedNoTarget);
    }

    private static Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
