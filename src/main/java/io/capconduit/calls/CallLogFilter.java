package io.capconduit.calls;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.capconduit.system.InvalidInputException;

/** Call-log filters (the callLogs query and the call-log export); every one optional, combined with AND. */
public record CallLogFilter(Instant from, Instant to, Long campaignId, Long clientId, String disposition, Long sellerId) {

    static final CallLogFilter NONE = new CallLogFilter(null, null, null, null, null, null);

    /** What a call log's disposition can be: Asterisk's CDR dispositions, and UNROUTED for a call no buyer took. */
    public static final List<String> DISPOSITIONS =
            Stream.concat(CdrFilter.DISPOSITIONS.stream(), Stream.of("UNROUTED")).toList();

    /** A disposition to filter by, or null (no filter) for none or a blank one; anything else names {@code field}. */
    public static String disposition(String field, String disposition) {
        return oneOf(field, disposition, DISPOSITIONS);
    }

    /** {@code value} if one of {@code allowed}, null (no filter) for none or a blank one; else names {@code field}. */
    static String oneOf(String field, String value, List<String> allowed) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!allowed.contains(value)) {
            throw new InvalidInputException(field, "must be one of " + String.join(", ", allowed));
        }
        return value;
    }

    /** A start-time range: {@code filter.to}, when both are given, must come after {@code filter.from}. */
    static void timeRange(Instant from, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidInputException("filter.to", "must be after filter.from");
        }
    }
}
