package io.capconduit.routing;

import java.time.Instant;

/** A phone number (E.164) owned by a seller; calls to it route through its campaign. */
public record Did(long id, String number, long sellerId, Long campaignId, String description, boolean active,
        Instant createdAt, Instant updatedAt) {
}
