package io.capconduit.routing;

import java.time.Instant;
import java.util.List;

/** What routePreview answers: the DID's routing status and every buyer of its campaign, winner first. */
record RoutePreview(String did, Instant at, String status, Long campaignId, String campaignName, String strategy,
        Candidate winner, List<Candidate> candidates) {

    record Candidate(long settingId, long clientId, String clientName, int priority, int weight, int maxConcurrent,
            int inFlight, Integer totalCap, String capPeriod, int capUsed, int reserved, Integer position,
            Double share, String skipped) {
    }
}
