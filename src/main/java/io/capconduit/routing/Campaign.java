package io.capconduit.routing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;

/** A seller's campaign: inbound (routed to clients by strategy) or outbound (dialed from lead lists). */
public record Campaign(long id, long sellerId, String name, Direction direction, Strategy strategy,
        int dialTimeoutSeconds, int billableAfterSeconds, boolean active, BigDecimal dialRatio, int hopperLevel,
        LocalTime callWindowStart, LocalTime callWindowEnd, int maxAttempts, int retryBusySeconds,
        int retryNoAnswerSeconds, int retryFailedSeconds, String callerId, Long trunkId, BigDecimal maxAbandonRate,
        int wrapUpSeconds, String abandonMessage, boolean closeDisconnectedNumbers, boolean recordCalls,
        String recordingNotice, Instant createdAt, Instant updatedAt) {

    public enum Direction { INBOUND, OUTBOUND }

    /** How an inbound call picks among the campaign's clients. */
    public enum Strategy { PRIORITY, ROUND_ROBIN, WEIGHTED }
}
