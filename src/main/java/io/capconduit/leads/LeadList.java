package io.capconduit.leads;

import java.time.Instant;

/** A list leads are imported into; {@code defaultRegion} parses numbers written without a country code. */
public record LeadList(long id, Long sellerId, String name, String defaultRegion, boolean active, Instant createdAt,
        Instant updatedAt) {
}
