package io.capconduit.dialer;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The dialer's arithmetic: how many calls to place now for a campaign, and how many a server can take. */
final class Pacing {

    private Pacing() {
    }

    /**
     * The dial ratio actually used: the campaign's, lowered in proportion when the rolling 30-day abandon
     * rate (abandoned / answered) is above the campaign's maximum, never below 1.0 (pure progressive).
     */
    static BigDecimal effectiveRatio(BigDecimal ratio, BigDecimal maxAbandonRate, int answered, int abandoned) {
        if (answered == 0 || abandoned == 0) {
            return ratio;
        }
        BigDecimal rate = BigDecimal.valueOf(abandoned).divide(BigDecimal.valueOf(answered), 6, RoundingMode.HALF_UP);
        if (rate.compareTo(maxAbandonRate) <= 0) {
            return ratio;
        }
        BigDecimal lowered = ratio.multiply(maxAbandonRate).divide(rate, 2, RoundingMode.DOWN);
        return lowered.max(BigDecimal.ONE).min(ratio);
    }

    /** available agents × ratio − calls in flight, never negative. */
    static int callsToPlace(int availableAgents, BigDecimal ratio, int inFlight) {
        int target = BigDecimal.valueOf(availableAgents).multiply(ratio).setScale(0, RoundingMode.FLOOR).intValue();
        return Math.max(0, target - inFlight);
    }

    /**
     * A server's room: originates in flight below its maximum, and originates below its rate, counted over ten
     * seconds so that a fractional rate holds (0.1 is one call per ten seconds, 2.5 is 25 per ten seconds), and
     * over the last second, rounded up, so that the ten seconds' calls are not placed in one burst.
     */
    static int serverRoom(BigDecimal maxCallsPerSecond, int maxInFlight, int inFlight, int lastSecond,
            int lastTenSeconds) {
        int perSecond = Math.max(1, maxCallsPerSecond.setScale(0, RoundingMode.CEILING).intValue());
        int perTenSeconds = Math.max(1, maxCallsPerSecond.movePointRight(1).setScale(0, RoundingMode.FLOOR).intValue());
        return Math.max(0, Math.min(maxInFlight - inFlight,
                Math.min(perSecond - lastSecond, perTenSeconds - lastTenSeconds)));
    }
}
