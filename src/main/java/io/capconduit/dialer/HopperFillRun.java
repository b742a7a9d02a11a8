package io.capconduit.dialer;

import java.time.Instant;

/** What one fill run did for one campaign, and why leads stayed out: the "why is the hopper empty" answer. */
public record HopperFillRun(Long id, long campaignId, Long jobExecutionId, Instant ranAt, int leadLists,
        int hopperLevel, int queuedBefore, int closedLeads, int excludedMaxAttempts,
        int excludedDnc, int excludedAlreadyQueued, int excludedRetryDelay, int excludedCallWindow, Integer eligible,
        int inserted, int zonesInWindow, int durationMs) {

    public Long runId() {
        return id;
    }

    /** The main reason in words when the run queued nothing; null when it queued some. */
    public String emptyReason() {
        if (inserted > 0) {
            return null;
        }
        if (leadLists == 0) {
            return "The campaign has no active lead lists (linkLeadList gives it one)";
        }
        if (queuedBefore >= hopperLevel) {
            return "The hopper is full (" + queuedBefore + " of " + hopperLevel + " queued)";
        }
        if (eligible != null && eligible == 0 && excludedMaxAttempts + excludedDnc + excludedAlreadyQueued
                + excludedRetryDelay + excludedCallWindow == 0) {
            return "No lead in the campaign's lists is NEW or RETRY (" + closedLeads + " closed)";
        }
        int[] counts = {excludedMaxAttempts, excludedDnc, excludedAlreadyQueued, excludedRetryDelay, excludedCallWindow};
        String[] names = {"reached the maximum attempts", "are on the DNC list", "are already queued",
                "wait for their retry delay", "are outside the call window in their time zone"};
        String[] oneName = {"reached the maximum attempts", "is on the DNC list", "is already queued",
                "waits for its retry delay", "is outside the call window in its time zone"};
        int top = 0;
        for (int i = 1; i < counts.length; i++) {
            top = counts[i] > counts[top] ? i : top;
        }
        return counts[top] == 1 ? "1 lead " + oneName[top] : counts[top] + " leads " + names[top];
    }
}
