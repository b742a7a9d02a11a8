package io.capconduit.routing;

import java.time.Instant;

/**
 * A phone number (E.164) owned by a seller; calls to it route through its campaign. {@code deactivatedByStaff}: staff
 * or an admin turned it off, and only they may turn it on again.
 */
public record Did(long id, String number, long sellerId, Long campaignId, String description, boolean active,
        boolean deactivatedByStaff, Instant createdAt, Instant updatedAt) {
}
