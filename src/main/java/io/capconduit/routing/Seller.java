package io.capconduit.routing;

import java.time.Instant;

/** A publisher who owns DIDs and campaigns and sells their calls. */
public record Seller(long id, String name, String email, String timeZone, boolean active, Instant createdAt,
        Instant updatedAt) {
}
