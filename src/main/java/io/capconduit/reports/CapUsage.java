package io.capconduit.reports;

import java.time.OffsetDateTime;

/** A campaign-client setting's caps now: in flight against max concurrent, used in the current window against the cap. */
public record CapUsage(long settingId, long sellerId, long campaignId, String campaignName, long clientId,
        String clientName, boolean active, int inFlight, int maxConcurrent, String capPeriod, Integer totalCap,
        int capUsed, OffsetDateTime windowStart) {

    public Integer remaining() {
        return totalCap == null ? null : Math.max(0, totalCap - capUsed);
    }
}
