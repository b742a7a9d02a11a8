package io.capconduit.routing;

import java.time.Instant;

/** The link from a campaign to a client, with its caps and the counters the routing claims maintain. */
public record CampaignClientSetting(long id, long campaignId, long clientId, int priority, int weight,
        int maxConcurrent, Integer totalCap, CapPeriod capPeriod, boolean active, int inFlight, int capUsed,
        Instant capWindowStart, Instant lastRoutedAt, Instant createdAt, Instant updatedAt) {

    /** The window a total cap counts over, in the client's time zone; TOTAL never resets. */
    public enum CapPeriod { HOUR, DAY, MONTH, TOTAL }
}
