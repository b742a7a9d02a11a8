package io.capconduit.reports;

import java.time.OffsetDateTime;

/**
 * A campaign-client setting's caps now: in flight against max concurrent; used in the current window and ringing
 * (claimed, not answered yet) against the cap, as routing counts them.
 */
public record CapUsage(long settingId, long sellerId, long campaignId, String campaignName, long clientId,
        String clientName, boolean active, int inFlight, int maxConcurrent, String capPeriod, Integer totalCap,
        int capUsed, int ringing, OffsetDateTime windowStart) {

    public Integer remaining() {
        return totalCap == null ? null : Math.max(0, totalCap - capUsed - ringing);
    }
}
