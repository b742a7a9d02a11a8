package io.capconduit.routing;

import java.time.Instant;
import java.util.List;

/** A carrier: its calls are recognised by source IP and land in [from-pstn]; outbound calls leave through it. */
public record Trunk(long id, String name, String endpoint, String host, Integer port, List<String> matchIps,
        String dialPrefix, boolean active, Instant createdAt, Instant updatedAt) {
}
