package io.capconduit.reports;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One call log as exported. {@code clientsTried}: the buyers the call rang in order, as the ids the query reads
 * ({@code "7 12"}) until {@link #namingClientsTried} puts their names in.
 */
public record CallLogLine(long id, OffsetDateTime startTime, OffsetDateTime answerTime, OffsetDateTime endTime,
        String direction, String sellerName, String campaignName, String didNumber, String callerId,
        String destination, String clientName, String disposition, String unroutedReason, String hangupCause,
        int duration, int billsec, boolean billable, int targetsTried, String clientsTried, String linkedId) {

    /** This line with the buyers tried named ("Sunrise, Pacific"); one deleted since stays its id ("client 17"). */
    CallLogLine namingClientsTried(Map<Long, String> names) {
        if (clientsTried == null || clientsTried.isEmpty()) {
            return this;
        }
        String named = Arrays.stream(clientsTried.split(" ")).map(Long::valueOf)
                .map(id -> names.getOrDefault(id, "client " + id)).collect(Collectors.joining(", "));
        return new CallLogLine(id, startTime, answerTime, endTime, direction, sellerName, campaignName, didNumber,
                callerId, destination, clientName, disposition, unroutedReason, hangupCause, duration, billsec,
                billable, targetsTried, named, linkedId);
    }
}
